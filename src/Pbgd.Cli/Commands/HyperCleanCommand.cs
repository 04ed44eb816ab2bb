using System.CommandLine;
using Pbgd.Experiments;
using Pbgd.Reporting;
using Pbgd.Solvers;
using Pbgd.Cli;
using Pbgd.Checkpoints;

namespace Pbgd.Cli.Commands;

/// `pbgd hyperclean`: the main job. Thin: options → config → library run → output files → exit code.
internal static class HyperCleanCommand
{
    internal static Command Create()
    {
        var options = new HyperCleanOptions();
        var command = new Command("hyperclean", "Learn per-sample weights that down-weight corrupted training labels (data hyper-cleaning).");
        options.AddTo(command);
        command.SetAction(p => Execute(options.Build(p), p.GetValue(options.Out)!, p.GetValue(options.DataDir), p.GetValue(options.Checkpoint)));
        return command;
    }

    /// Runs a configuration and writes its outputs; shared with `pbgd rerun` and `pbgd resume`.
    internal static int Execute(HyperCleaningConfig config, string outDirectory, string? dataDirectory, string? checkpointDirectory = null,
        SolverCheckpoint? resumeFrom = null)
    {
        var loaded = config.LoadDataset(dataDirectory);
        if (loaded.Fallback is { } fallback)
        {
            Console.Error.WriteLine($"note: {DataCommand.FallbackNote(fallback)}");
            config = config with { Dataset = loaded.Spec.ToString() };
        }
        var data = loaded.Data;
        Console.WriteLine($"pbgd hyperclean — {HyperCleanOptions.Describe(config)}");
        Console.WriteLine($"data: {data.Description}; N = {data.XTrain.Rows}, N' = {data.XValidation.Rows}, test = {data.XTest.Rows}, m = {data.XTrain.Columns}, c = {data.ClassCount}");
        if (config.Loss == HyperCleaningLoss.CrossEntropy && config.Regularization == 0 && config.UpperStep != Solvers.UpperStepRule.Gradient)
            Console.Error.WriteLine("note: the cross-entropy model without a ridge (--reg 0) has no minimiser in W when the weighted training data are " +
                "separable, and a line search on φ_γ then follows W outwards (MNIST: 72–78 % test accuracy; results/ce-fast.md); --reg 1e-3 avoids it.");

        Action<SolverCheckpoint>? sink = null;
        if (checkpointDirectory is not null)
        {
            Directory.CreateDirectory(checkpointDirectory);
            var run = new ResumableRun(config, Path.GetFullPath(outDirectory), dataDirectory is null ? null : Path.GetFullPath(dataDirectory));
            AtomicFile.Write(Path.Combine(checkpointDirectory, ResumableRun.FileName), s => System.Text.Json.JsonSerializer.Serialize(s, run, HyperCleaningSummary.JsonOptions));
            string path = Path.Combine(checkpointDirectory, "checkpoint.json");
            sink = c => c.Save(path);
        }
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            var progress = new ProgressReporter();
            var report = progress.Run(() => HyperCleaningExperiment.Run(config, data, progress.Report, cancel.Token, sink, resumeFrom));
            HyperCleaningOutputs.Write(outDirectory, report, data, RunEnvironment.Describe());
            var r = report.Result;
            Console.WriteLine(r.ToString());
            Console.WriteLine(FormattableString.Invariant(
                $"test accuracy {(double.IsFinite(report.TestAccuracy) ? $"{100 * report.TestAccuracy:F2} %" : "n/a")}; cleaning {(report.Cleaning is { } c ? $"precision {c.Precision:F3}, recall {c.Recall:F3}, F1 {c.F1:F3}" : "n/a (no clean mask)")}"));
            if (report.Selection is { } h)
                Console.WriteLine(FormattableString.Invariant(
                    $"selected by held-out loss ({h.Rows} rows): iteration {h.Selected.Iteration}, held-out loss {h.Selected.HoldoutLoss:G6} (last {h.Last.HoldoutLoss:G6}), test accuracy {(h.Selected.TestAccuracy is { } a ? $"{100 * a:F2} %" : "n/a")}, cleaning F1 {(h.Selected.CleanF1 is { } f ? $"{f:F3}" : "n/a")}; model.csv and weights.csv hold it"));
            if (r.Oscillated)
                Console.Error.WriteLine($"warning: L_γ rose at {r.PenaltyIncreases} iterations with γ fixed (up to {r.LongestIncreaseStreak} in a row): the step may be too large (--step-scale 0.5).");
            if (r.RankDeficientSeen)
                Console.Error.WriteLine(report.Problem.GetCapability<Pbgd.Problems.IExactSolveCounts>() is { } solves
                    ? $"note: the lower-level design was rank-deficient, so W* is not unique (all-zero features get zero weights); exact solves: {solves.DescribeSolveCounts()}. Recorded in summary.json."
                    : "note: the lower-level design was rank-deficient; W* is the minimum-norm solution (gelsd). Recorded in summary.json.");
            Console.WriteLine($"summary: {Path.GetFullPath(Path.Combine(outDirectory, "summary.json"))}");
            Console.WriteLine($"plot:    {Path.GetFullPath(Path.Combine(outDirectory, "convergence.png"))}");
            return r.StopReason switch
            {
                StopReason.Diverged => ReportDivergence(r),
                StopReason.Cancelled => ExitCodes.Interrupted,
                _ => ExitCodes.Success,
            };
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static int ReportDivergence(SolverResult r)
    {
        Console.Error.WriteLine($"error: the run diverged after iteration {r.Iterations} (NaN or infinity); the outputs hold the last finite state. " +
                                "Try a smaller step (--step-scale 0.5 or --step).");
        return ExitCodes.Diverged;
    }
}
