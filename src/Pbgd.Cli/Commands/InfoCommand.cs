using System.CommandLine;
using System.Runtime.InteropServices;
using Pbgd.Native;

namespace Pbgd.Cli.Commands;

/// `pbgd info`: which MKL was loaded, from where, with how many threads and which kernels.
internal static class InfoCommand
{
    internal static Command Create()
    {
        var command = new Command("info", "Print the MKL version, thread count, kernel library in use and CPU.");
        var mpi = new Option<bool>("--mpi") { Description = "Also report the MPI library: where it was loaded from, its version and implementation (ABI)." };
        command.Options.Add(mpi);
        command.SetAction(p =>
        {
            if (p.GetValue(mpi)) ReportMpi();
            MklLibrary.EnsureLoaded();
            Console.WriteLine($"MKL:              {MklLibrary.VersionString}");
            Console.WriteLine($"library:          {MklLibrary.LoadedPath}");
            Console.WriteLine($"max threads:      {MklLibrary.MaxThreads}");
            Console.WriteLine($"dynamic threads:  {MklLibrary.DynamicThreads}");
            Console.WriteLine($"reproducibility:  {MklLibrary.Reproducibility}");
            var kernels = MklLibrary.LoadedKernelLibraries();
            Console.WriteLine($"kernel libraries: {(kernels.Count == 0 ? "(none mapped)" : string.Join(", ", kernels.Select(Path.GetFileName)))}");
            Console.WriteLine($"CPU:              {RunEnvironment.CpuName()} ({Environment.ProcessorCount} logical cores, {RuntimeInformation.ProcessArchitecture})");
            Console.WriteLine($"runtime:          {RuntimeInformation.FrameworkDescription}");
            foreach (var line in MklLibrary.LoadTrace) Console.WriteLine($"load trace:       {line}");
            return ExitCodes.Success;
        });
        return command;
    }

    // MPI's facts, read without MPI_Init (so `pbgd info --mpi` works with or without mpirun).
    private static void ReportMpi()
    {
        MpiLibrary.EnsureLoaded(); // MpiNotFoundException → exit 2 with the install command
        Console.WriteLine($"MPI:              {MpiLibrary.LibraryVersion}");
        Console.WriteLine($"MPI library:      {MpiLibrary.LoadedPath}");
        Console.WriteLine($"MPI standard:     {MpiLibrary.StandardVersion}");
        Console.WriteLine($"implementation:   {MpiLibrary.Implementation} ({(MpiLibrary.Implementation == MpiImplementation.OpenMpi ? "handles are exported globals" : "handles are integer constants")})");
        Console.WriteLine($"launched by:      {(MpiLibrary.LaunchedByMpirun ? $"mpirun, rank {MpiLibrary.LauncherRank} of {MpiLibrary.LauncherSize}" : "no MPI launcher (a run with --mpi is single-process)")}");
        foreach (var line in MpiLibrary.LoadTrace) Console.WriteLine($"MPI load trace:   {line}");
    }
}
