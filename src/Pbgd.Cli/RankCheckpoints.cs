using System.Text.Json;
using Pbgd.Checkpoints;
using Pbgd.Distributed;
using Pbgd.Reporting;
using Pbgd.Solvers;

namespace Pbgd.Cli;

/// Checkpoints of a data-parallel run: each rank saves its own state (its share of u, of the L-BFGS pairs, of the exact
/// solver's weights; the replicated rest) to ranks/checkpoint.G.rankR.json, and once every rank has, rank 0 replaces the
/// manifest mpi.json, which names the generation to resume from. Generations alternate between two sets of files, so a
/// kill at any moment leaves the manifest pointing at a complete set. A resume needs the same number of ranks.
internal static class RankCheckpoints
{
    internal const string ManifestName = "mpi.json";

    /// What mpi.json holds.
    internal sealed record Manifest(int Ranks, long Generation, int Iteration, string DataFingerprint, string OptionsFingerprint,
        StopReason? Stopped);

    internal static string RankFile(string directory, long generation, int rank) =>
        Path.Combine(directory, "ranks", $"checkpoint.{generation % 2}.rank{rank}.json");

    /// The sink every rank hands the solver: collective (the solver checkpoints at the same iterations on every rank).
    internal static Action<SolverCheckpoint> Sink(string directory, ICommunicator communicator)
    {
        Directory.CreateDirectory(Path.Combine(directory, "ranks"));
        long generation = TryRead(directory) is { } existing ? existing.Generation + 1 : 0;
        return checkpoint =>
        {
            checkpoint.Save(RankFile(directory, generation, communicator.Rank));
            communicator.Barrier();
            if (communicator.Rank == 0)
            {
                var manifest = new Manifest(communicator.Size, generation, checkpoint.Iteration, checkpoint.DataFingerprint,
                    checkpoint.OptionsFingerprint, checkpoint.Stopped);
                AtomicFile.Write(Path.Combine(directory, ManifestName), s => JsonSerializer.Serialize(s, manifest, HyperCleaningSummary.JsonOptions));
            }
            // Nobody overwrites the next generation's files before the manifest points away from them.
            communicator.Barrier();
            generation++;
        };
    }

    /// The manifest of a data-parallel run's checkpoint folder, or null when the folder holds a single-process run's.
    internal static Manifest? TryRead(string directory)
    {
        string path = Path.Combine(directory, ManifestName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), HyperCleaningSummary.JsonOptions); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: unreadable ({e.Message})", e); }
    }

    /// This rank's checkpoint of the manifest's generation, checked against the manifest.
    internal static SolverCheckpoint Load(string directory, Manifest manifest, ICommunicator communicator)
    {
        if (communicator.Size != manifest.Ranks)
            throw new InvalidDataException(
                $"{directory} holds a run spread over {manifest.Ranks} processes; this resume has {communicator.Size}: resume with  mpirun -np {manifest.Ranks} pbgd resume {directory}");
        string path = RankFile(directory, manifest.Generation, communicator.Rank);
        var checkpoint = SolverCheckpoint.Load(path);
        if (checkpoint.Iteration != manifest.Iteration || checkpoint.DataFingerprint != manifest.DataFingerprint)
            throw new InvalidDataException($"{path} (iteration {checkpoint.Iteration}) does not match {ManifestName} (iteration {manifest.Iteration}).");
        return checkpoint;
    }
}
