using System.CommandLine;
using Pbgd.Solvers;

namespace Pbgd.Cli.Commands;

/// `pbgd resume DIR`: continues a hyper-cleaning run from its last checkpoint, with the same configuration, data, MKL
/// reproducibility mode and thread count (each checked before the run goes on: ResumableRun, ResumeChecks, the
/// checkpoint's own validation), writing its outputs where the original run would have.
internal static class ResumeCommand
{
    internal static Command Create()
    {
        var folder = new Argument<string>("dir") { Description = "The --checkpoint folder of the run." };
        var command = new Command("resume", "Continue a hyper-cleaning run from its last checkpoint.") { folder };
        command.SetAction(p =>
        {
            string dir = p.GetValue(folder)!;
            var run = ResumableRun.Load(dir);
            if (RankCheckpoints.TryRead(dir) is { } manifest) return ResumeDataParallel(dir, run, manifest);
            var checkpoint = SolverCheckpoint.Load(Path.Combine(dir, "checkpoint.json"));
            if (checkpoint.Stopped is { } stopped)
            {
                // Nothing to continue: the run ended for good and its outputs are already written; leave them alone.
                Console.WriteLine($"the run in {dir} is complete ({stopped} at iteration {checkpoint.Iteration}); its outputs are in {run.OutDirectory}.");
                return ExitCodes.Success;
            }
            ResumeChecks.Check(run);
            Console.WriteLine($"resuming at iteration {checkpoint.Iteration} of {run.Config.Iterations}");
            return HyperCleanCommand.Execute(run.Config, run.OutDirectory, run.DataDirectory, dir, checkpoint, run);
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
        // Every rank checks its own MKL thread count and mode against the ones it had; a refusal on any rank ends the job
        // with exit 2 (ExitCodes, MpiSession.Abort).
        ResumeChecks.Check(RankCheckpoints.ForRank(run, manifest, communicator.Rank));
        Console.WriteLine($"resuming at iteration {checkpoint.Iteration} of {run.Config.Iterations} on {communicator.Size} ranks");
        return MpiSession.Finish(HyperCleanCommand.Execute(run.Config, run.OutDirectory, run.DataDirectory, dir, checkpoint, run, communicator));
    }
}
