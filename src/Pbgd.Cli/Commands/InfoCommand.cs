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
        command.SetAction(_ =>
        {
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
}
