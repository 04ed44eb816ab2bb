using System.CommandLine;
using Pbgd.Experiments;
using Pbgd.Reporting;
using Pbgd.Solvers;
using Pbgd.Cli;
using Pbgd.Checkpoints;
using Pbgd.Native;

namespace Pbgd.Cli.Commands;

/// `pbgd hyperclean`: the main job. Thin: options → config → library run → output files → exit code.
internal static class HyperCleanCommand
{
    internal static Command Create()
    {
        var options = new HyperCleanOptions();
        var command = new Command("hyperclean", "Learn per-sample weights that down-weight corrupted training labels (data hyper-cleaning).");
        options.AddTo(command);
        command.SetAction(p =>
        {
            var config = options.Build(p);
            if (p.GetValue(options.Checkpoint) is null && (p.GetResult(options.CheckpointEvery) is not null || p.GetResult(options.CheckpointSeconds) is not null))
                Console.Error.WriteLine("warning: --checkpoint-every and --checkpoint-seconds have no effect without --checkpoint DIR: no checkpoint is written.");
            return Execute(config, p.GetValue(options.Out)!, p.GetValue(options.DataDir), p.GetValue(options.Checkpoint));
        });
        return command;
    }

    /// Runs a configuration and writes its outputs; shared with `pbgd rerun` and `pbgd resume` (which passes the
    /// checkpoint and the run's recorded facts).
    internal static int Execute(HyperCleaningConfig config, string outDirectory, string? dataDirectory, string? checkpointDirectory = null,
        SolverCheckpoint? resumeFrom = null, ResumableRun? resumed = null)
    {
        // Before any data is read: both folders must be usable (nothing is created until the data are).
        OutputFolder.Check(outDirectory, "--out");
        if (checkpointDirectory is not null) OutputFolder.Check(checkpointDirectory, "--checkpoint");
        string[] created = new[] { outDirectory, checkpointDirectory }.OfType<string>().Where(d => !Directory.Exists(d)).ToArray();
        var loaded = config.LoadDataset(dataDirectory);
        if (loaded.Fallback is { } fallback)
        {
            Console.Error.WriteLine($"note: {DataCommand.FallbackNote(fallback)}");
            config = config with { Dataset = loaded.Spec.ToString() };
        }
        foreach (var note in loaded.Notes) Console.Error.WriteLine($"warning: {note}");
        var data = loaded.Data;
        var facts = DataFacts.Of(data);
        if (resumed is not null && resumed.Data.Differences(facts) is { Count: > 0 } differences)
            throw new InvalidDataException($"the data differ from the run's ({resumed.Data.Description}): {string.Join("; ", differences)}. A run resumes only on the data it started with.");
        // No other run may write into --out while this one does.
        OutputFolder.Create(outDirectory, "--out");
        using var outputLock = OutputFolder.Lock(outDirectory, "--out");
        Console.WriteLine($"pbgd hyperclean — {HyperCleanOptions.Describe(config)}");
        if (Math.Abs(config.InitialU) > config.Radius)
            Console.Error.WriteLine(FormattableString.Invariant(
                $"warning: --u0 {config.InitialU} lies outside the box [−{config.Radius}, {config.Radius}] of --radius; the run starts from u0 = {Math.Clamp(config.InitialU, -config.Radius, config.Radius)} (clamped)."));
        Console.WriteLine($"data: {data.Description}; N = {data.XTrain.Rows}, N' = {data.XValidation.Rows}, test = {data.XTest.Rows}, m = {data.XTrain.Columns}, c = {data.ClassCount}");
        if (config.Loss == HyperCleaningLoss.CrossEntropy && config.Regularization == 0 && config.UpperStep != Solvers.UpperStepRule.Gradient)
            Console.Error.WriteLine("note: the cross-entropy model without a ridge (--reg 0) has no minimiser in W when the weighted training data are " +
                "separable, and a line search on φ_γ then follows W outwards (MNIST: 72–78 % test accuracy; results/ce-fast.md); --reg 1e-3 avoids it.");

        Action<SolverCheckpoint>? sink = null;
        if (checkpointDirectory is not null)
        {
            OutputFolder.Create(checkpointDirectory, "--checkpoint");
            new ResumableRun(config, Path.GetFullPath(outDirectory), dataDirectory is null ? null : Path.GetFullPath(dataDirectory),
                MklLibrary.Reproducibility.ToString(), ResumeChecks.EffectiveThreads(config), facts).Save(checkpointDirectory);
            sink = CheckpointSink(Path.Combine(checkpointDirectory, "checkpoint.json"));
        }
        using var signals = new StopSignals();
        var progress = new ProgressReporter();
        HyperCleaningReport report;
        try
        {
            report = progress.Run(() => HyperCleaningExperiment.Run(config, data, progress.Report, signals.Token, sink, resumeFrom));
        }
        catch
        {
            // A setting the library refuses as the run starts leaves nothing behind: no folder this run created holds
            // more than its lock file and run.json until the first checkpoint or the outputs.
            outputLock.Dispose();
            foreach (var folder in created) OutputFolder.RemoveIfOnly(folder, [OutputFolder.LockFileName, ResumableRun.FileName]);
            throw;
        }
        var environment = RunEnvironment.Describe();
        OutputFolder.WriteSet(outDirectory, staging => HyperCleaningOutputs.Write(staging, report, data, environment));
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
            StopReason.Cancelled => signals.ExitCode,
            _ => ExitCodes.Success,
        };
    }

    // A checkpoint that cannot be written (a full disk, a folder made read-only) does not stop the run: it warns once,
    // with the reason, and the run goes on to write its results; a later checkpoint that succeeds says so.
    private static Action<SolverCheckpoint> CheckpointSink(string path)
    {
        bool failing = false;
        return c =>
        {
            try
            {
                c.Save(path);
                if (failing) Console.Error.WriteLine($"note: the checkpoint {path} was written again (iteration {c.Iteration}).");
                failing = false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (!failing)
                    Console.Error.WriteLine($"warning: the checkpoint {path} could not be written at iteration {c.Iteration} ({e.Message}); " +
                                            "the run goes on and will write its results, but a crash now loses the work since the last checkpoint.");
                failing = true;
            }
        };
    }

    private static int ReportDivergence(SolverResult r)
    {
        // Diverging at iteration 0 means the first point itself is not finite: there is no finite state to report.
        Console.Error.WriteLine(r.Iterations == 0 && !r.Final.IsFinite
            ? $"error: the run diverged at its first point: L_γ or its gradient is not finite at u0 (γ = {r.Final.Gamma:G4}), so there is no finite state; " +
              "summary.json leaves the values that are not finite empty (null). Try a smaller penalty (--gamma) or step (--step-scale 0.5 or --step)."
            : $"error: the run diverged after iteration {r.Iterations} (NaN or infinity); the outputs hold the last finite state. " +
              "Try a smaller step (--step-scale 0.5 or --step).");
        return ExitCodes.Diverged;
    }
}
