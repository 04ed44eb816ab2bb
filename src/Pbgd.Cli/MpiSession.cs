using Pbgd.Distributed;
using Pbgd.Native;

namespace Pbgd.Cli;

/// A data-parallel run's process life: `--mpi` under mpirun initialises MPI, silences standard output on every rank but
/// 0 (only rank 0 speaks and writes), and finalises at the end; an error on any rank is printed with the rank's number
/// and ends the whole job through MPI_Abort with the CLI's exit code (ExitCodes). Without `--mpi`, or without mpirun,
/// the run is the ordinary single-process one.
internal static class MpiSession
{
    private static ICommunicator? _communicator;

    /// The processes of this run (null: an ordinary run).
    internal static ICommunicator? Communicator => _communicator;

    /// Whether MPI was initialised for this run.
    internal static bool Active => _communicator is not null;

    /// Whether this process is the one that reports (rank 0, or the only process).
    internal static bool IsRoot => _communicator is null || _communicator.Rank == 0;

    /// "rank r: " in a data-parallel run, "" otherwise: the prefix of error lines.
    internal static string Prefix => _communicator is { } c ? $"rank {c.Rank}: " : "";

    /// Starts the run's processes. With --mpi: the MPI library must load (else MpiNotFoundException: exit 2 with the
    /// install command); under mpirun MPI is initialised. Without --mpi under an MPI launcher the ranks would run the same
    /// ordinary run side by side: say so.
    internal static ICommunicator? Start(bool requested)
    {
        if (!requested)
        {
            if (MpiLibrary.LauncherSize is > 1)
                Console.Error.WriteLine($"warning: started by mpirun with {MpiLibrary.LauncherSize} processes but without --mpi: each runs the whole ordinary run (add --mpi to share the training rows).");
            return null;
        }
        MpiLibrary.EnsureLoaded();
        if (!MpiLibrary.LaunchedByMpirun)
        {
            Console.Error.WriteLine("note: --mpi without mpirun: running as one process (start it with mpirun -np K to spread the training rows over K).");
            return null;
        }
        Mpi.Init();
        _communicator = new MpiCommunicator();
        if (_communicator.Rank != 0) Console.SetOut(TextWriter.Null);
        return _communicator;
    }

    /// Ends MPI after a run that every rank finished the same way; returns the exit code.
    internal static int Finish(int exitCode)
    {
        if (_communicator is null) return exitCode;
        Console.Out.Flush();
        Mpi.Barrier();
        Mpi.Shutdown();
        _communicator = null;
        return exitCode;
    }

    /// After a failure on this rank: ends every process of the job with the exit code (does not return).
    internal static void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        Mpi.Abort(exitCode);
    }
}
