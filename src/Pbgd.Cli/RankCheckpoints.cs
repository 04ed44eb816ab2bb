using Pbgd.Checkpoints;
using Pbgd.Distributed;
using Pbgd.Native;
using Pbgd.Reporting;
using Pbgd.Solvers;

namespace Pbgd.Cli;

/// Checkpoints of a data-parallel run: each rank saves its own state (its share of u, of the L-BFGS pairs, of the exact
/// solver's weights; the replicated rest) to ranks/checkpoint.G.rankR.json, sealed by its content hash as a
/// single-process checkpoint is (SolverCheckpoint.Save), and once every rank has, rank 0 replaces the manifest mpi.json,
/// which names the generation to resume from and is sealed the same way as run.json (SealedJson). Generations alternate
/// between two sets of files, so a kill at any moment leaves the manifest pointing at a complete set. A resume needs the
/// same number of ranks; each rank checks its own file (an edited one is refused naming the rank's file and the field)
/// and its own MKL thread count and reproducibility mode, which the manifest records per rank.
internal static class RankCheckpoints
{
    internal const string ManifestName = "mpi.json";

    /// What mpi.json holds. MklThreads and MklReproducibility: each rank's, by rank.
    internal sealed record Manifest(int Ranks, long Generation, int Iteration, string DataFingerprint, string OptionsFingerprint,
        StopReason? Stopped, int[] MklThreads, string[] MklReproducibility);

    internal static string RankFile(string directory, long generation, int rank) =>
        Path.Combine(directory, "ranks", $"checkpoint.{generation % 2}.rank{rank}.json");

    /// The sink every rank hands the solver: collective (the solver checkpoints at the same iterations on every rank).
    /// Built collectively too: it gathers every rank's MKL mode and thread count for the manifest. A checkpoint that
    /// some rank cannot write (a full disk) does not stop the run: every rank learns of it, the manifest keeps naming the
    /// last complete generation, and the run goes on, as a single-process run's does.
    internal static Action<SolverCheckpoint> Sink(string directory, ICommunicator communicator, string mklReproducibility, int mklThreads)
    {
        Directory.CreateDirectory(Path.Combine(directory, "ranks"));
        long generation = TryRead(directory) is { } existing ? existing.Generation + 1 : 0;
        var threads = Gather(communicator, mklThreads).Select(t => (int)t).ToArray();
        var modes = Gather(communicator, (double)Enum.Parse<MklReproducibility>(mklReproducibility, ignoreCase: true))
            .Select(m => ((MklReproducibility)(int)m).ToString()).ToArray();
        bool failing = false;
        return checkpoint =>
        {
            string file = RankFile(directory, generation, communicator.Rank);
            string? failure = Try(() => checkpoint.Save(file));
            if (!AnyFailed(communicator, failure) && communicator.Rank == 0)
            {
                var manifest = new Manifest(communicator.Size, generation, checkpoint.Iteration, checkpoint.DataFingerprint,
                    checkpoint.OptionsFingerprint, checkpoint.Stopped, threads, modes);
                failure = Try(() => AtomicFile.WriteText(Path.Combine(directory, ManifestName),
                    w => w.Write(SealedJson.Seal(manifest, HyperCleaningSummary.JsonOptions))));
            }
            // Nobody overwrites the next generation's files before the manifest points away from them; a generation that
            // some rank or the manifest could not write is written again at the next checkpoint.
            if (AnyFailed(communicator, failure))
            {
                if (failure is not null && !failing)
                    Console.Error.WriteLine($"{MpiSession.Prefix}warning: the checkpoint could not be written at iteration {checkpoint.Iteration} ({failure}); " +
                                            "the run goes on and will write its results, but a crash now loses the work since the last checkpoint.");
                failing = true;
                return;
            }
            if (failing && communicator.Rank == 0) Console.Error.WriteLine($"note: the checkpoint in {directory} was written again (iteration {checkpoint.Iteration}).");
            failing = false;
            generation++;
        };
    }

    private static string? Try(Action write)
    {
        try { write(); return null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return e.Message; }
    }

    // Collective: whether any rank failed.
    private static bool AnyFailed(ICommunicator communicator, string? failure)
    {
        Span<double> flag = [failure is null ? 0 : 1];
        communicator.Allreduce(flag, ReductionOperation.Max);
        return flag[0] > 0;
    }

    private static double[] Gather(ICommunicator communicator, double mine)
    {
        var all = new double[communicator.Size];
        var counts = Enumerable.Repeat(1, communicator.Size).ToArray();
        var displacements = Enumerable.Range(0, communicator.Size).ToArray();
        communicator.Allgatherv([mine], all, counts, displacements);
        return all;
    }

    /// The manifest of a data-parallel run's checkpoint folder, or null when the folder holds a single-process run's;
    /// an edited manifest is refused naming the field (InvalidDataException: exit 2).
    internal static Manifest? TryRead(string directory)
    {
        string path = Path.Combine(directory, ManifestName);
        if (!File.Exists(path)) return null;
        return SealedJson.Unseal<Manifest>(Pbgd.Data.InputFiles.ReadAllText(path), path, HyperCleaningSummary.JsonOptions);
    }

    /// This rank's checkpoint of the manifest's generation, checked against the manifest (its seal is checked by
    /// SolverCheckpoint.Load: an edited file is refused naming the file, whose name holds the rank, and the field).
    internal static SolverCheckpoint Load(string directory, Manifest manifest, ICommunicator communicator)
    {
        if (communicator.Size != manifest.Ranks)
            throw new InvalidDataException(
                $"{directory} holds a run spread over {manifest.Ranks} processes; this resume has {communicator.Size}: resume with  mpirun -np {manifest.Ranks} pbgd resume {directory}");
        string path = RankFile(directory, manifest.Generation, communicator.Rank);
        SolverCheckpoint checkpoint;
        try { checkpoint = SolverCheckpoint.Load(path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"rank {communicator.Rank}'s checkpoint: {e.Message}", e); }
        if (checkpoint.Iteration != manifest.Iteration || checkpoint.DataFingerprint != manifest.DataFingerprint)
            throw new InvalidDataException($"{path} (iteration {checkpoint.Iteration}) does not match {ManifestName} (iteration {manifest.Iteration}).");
        return checkpoint;
    }

    /// The run's facts as this rank had them: its own MKL thread count and reproducibility mode (ResumeChecks checks them).
    internal static ResumableRun ForRank(ResumableRun run, Manifest manifest, int rank) =>
        run with { MklThreads = manifest.MklThreads[rank], MklReproducibility = manifest.MklReproducibility[rank] };
}
