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
}
