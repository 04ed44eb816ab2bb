using System.CommandLine;
using System.Text.Json;
using Pbgd.Checkpoints;
using Pbgd.Reporting;
using Pbgd.Solvers;

namespace Pbgd.Cli.Commands;

/// `pbgd resume DIR`: continues a hyper-cleaning run from its last checkpoint, with the same configuration and
/// data (the data is prepared again from the recorded configuration and checked against the checkpoint's
/// fingerprint), writing its outputs where the original run would have.
internal static class ResumeCommand
{
    internal static Command Create()
    {
        var folder = new Argument<string>("dir") { Description = "The --checkpoint folder of the run." };
        var command = new Command("resume", "Continue a hyper-cleaning run from its last checkpoint.") { folder };
        command.SetAction(p =>
        {
            string dir = p.GetValue(folder)!;
            string runPath = Path.Combine(dir, ResumableRun.FileName);
            if (!File.Exists(runPath)) throw new FileNotFoundException($"{dir}: no {ResumableRun.FileName}; is this a --checkpoint folder?", runPath);
            ResumableRun run;
            try { run = JsonSerializer.Deserialize<ResumableRun>(File.ReadAllText(runPath), HyperCleaningSummary.JsonOptions)!; }
            catch (JsonException e) { throw new InvalidDataException($"{runPath}: unreadable ({e.Message})", e); }
            if (RankCheckpoints.TryRead(dir) is { } manifest) return ResumeDataParallel(dir, run, manifest);
            var checkpoint = SolverCheckpoint.Load(Path.Combine(dir, "checkpoint.json"));
            if (checkpoint.Stopped is { } stopped)
            {
                // Nothing to continue: the run ended for good and its outputs are already written; leave them alone.
                Console.WriteLine($"the run in {dir} is complete ({stopped} at iteration {checkpoint.Iteration}); its outputs are in {run.OutDirectory}.");
                return ExitCodes.Success;
            }
            Console.WriteLine($"resuming at iteration {checkpoint.Iteration} of {run.Config.Iterations}");
            return HyperCleanCommand.Execute(run.Config, run.OutDirectory, run.DataDirectory, dir, checkpoint);
        });
        return command;
    }

    // A data-parallel run's folder (mpi.json): resumed under mpirun with the same number of ranks, each from its own file.
    private static int ResumeDataParallel(string dir, ResumableRun run, RankCheckpoints.Manifest manifest)
    {
        if (Pbgd.Native.MpiLibrary.LauncherSize != manifest.Ranks)
            throw new InvalidDataException(
                $"{dir} holds a run spread over {manifest.Ranks} processes: resume it with  mpirun -np {manifest.Ranks} pbgd resume {dir}");
        var communicator = MpiSession.Start(requested: true)!;
        var checkpoint = RankCheckpoints.Load(dir, manifest, communicator);
        if (checkpoint.Stopped is { } stopped)
        {
            Console.WriteLine($"the run in {dir} is complete ({stopped} at iteration {checkpoint.Iteration}); its outputs are in {run.OutDirectory}.");
            return MpiSession.Finish(ExitCodes.Success);
        }
        Console.WriteLine($"resuming at iteration {checkpoint.Iteration} of {run.Config.Iterations} on {communicator.Size} ranks");
        return MpiSession.Finish(HyperCleanCommand.Execute(run.Config, run.OutDirectory, run.DataDirectory, dir, checkpoint, communicator));
    }
}
