using System.Globalization;
using Pbgd.Data;
using Pbgd.Experiments;
using Pbgd.Native;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.LowerLevel;

namespace Pbgd.Benchmarks;

/// `--bench upper-steps`: wall-clock time to a target on squared-loss MNIST hyper-cleaning (the default split, PBGD-B with
/// exact cg solves, γ = 10) for each upper step. The target is φ_γ within 1e−6 (relative) of the best value any run
/// reaches; the fixed step gets a time budget and, when it cannot reach the target within it, its ratio is reported as a
/// lower bound. All runs in one process, one after the other, with the same threads: ratios are measured in one run.
public static class UpperStepStudy
{
    public static int Run(string resultsDirectory, string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        int threads = Environment.ProcessorCount;
        Pbgd.Kernels.ComputeThreads.Set(threads);
        double budget = args.SkipWhile(a => a != "--budget").Skip(1).Select(a => double.Parse(a, inv)).FirstOrDefault(600);
        var config = HyperCleaningConfig.Default with { ExactSolver = "cg" };
        var loaded = config.LoadDataset(null);
        var data = loaded.Data;
        var lines = new List<string>
        {
            $"# Upper steps on squared-loss MNIST hyper-cleaning ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {threads} threads, MKL {MklLibrary.VersionString})",
            "",
            $"Data: {data.Description}; N = {data.XTrain.Rows}, N' = {data.XValidation.Rows}, m = {data.XTrain.Columns}. PBGD-B, exact oracle and v-step by " +
            "preconditioned conjugate gradients (backward error ≤ 1e−11), γ = 10, from u = 0. Command: `dotnet run -c Release --project benchmarks/Pbgd.Benchmarks -- --bench upper-steps`.",
            "",
        };
        // Shared machines: the load beside the clock tells a reader how far the seconds are from a quiet machine's.
        string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
        lines.Add($"Load average (1 min) at the start: {Load()} on {Environment.ProcessorCount} cores.");
        lines.Add("");
        if (loaded.Fallback is not null) lines.Add("**MNIST was not found: this ran on the embedded synthetic data set.**");
        var runs = new List<(string Name, List<(double Seconds, double Phi, int Iteration, long Evaluations)> Trace, SolverResult Result)>();
        foreach (var (name, rule, iterations, time) in new (string, UpperStepRule, int, double?)[]
                 {
                     ("lbfgs", UpperStepRule.Lbfgs, 400, null), ("bb", UpperStepRule.SpectralGradient, 400, null), ("gradient", UpperStepRule.Gradient, int.MaxValue, budget),
                 })
        {
            var problem = HyperCleaningExperiment.BuildProblem(config, data);
            var trace = new List<(double, double, int, long)>();
            var options = new PbgdOptions
            {
                Penalty = PenaltySchedule.Constant(10), UpperStep = rule, MaxIterations = iterations, GradientTolerance = 1e-10,
                TimeBudget = time is { } t ? TimeSpan.FromSeconds(t) : null, LogEvery = 1_000_000,
                Observer = (in IterationRecord r, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => trace.Add((r.Seconds, r.Penalized, r.Iteration, r.Counts.Evaluations)),
            };
            var result = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), options).Run(new double[problem.UpperDimension], new double[problem.LowerDimension]);
            Console.WriteLine($"{name}: {result} ({result.Counts})");
            runs.Add((name, trace, result));
        }
        double best = runs.Min(r => r.Trace.Min(t => t.Phi));
        double target = best + 1e-6 * Math.Abs(best);
        lines.Add(string.Create(inv, $"Best φ_γ reached by any run: {best:R}; target φ_γ ≤ {target:R} (1e−6 relative)."));
        lines.Add("");
        lines.Add("| upper step | stop | iterations | evaluations | seconds | φ_γ at the end | time to target (s) | iterations to target | evaluations to target |");
        lines.Add("|---|---|---|---|---|---|---|---|---|");
        var times = new Dictionary<string, double>();
        foreach (var (name, trace, result) in runs)
        {
            int hit = trace.FindIndex(t => t.Phi <= target);
            times[name] = hit >= 0 ? trace[hit].Seconds : double.PositiveInfinity;
            lines.Add(string.Create(inv, $"| {name} | {result.StopReason} | {result.Iterations} | {result.Counts.Evaluations} | {result.Seconds:F1} | {result.Final.Penalized:R} | " +
                $"{(hit >= 0 ? trace[hit].Seconds.ToString("F2", inv) : $"not reached in {result.Seconds:F0}")} | {(hit >= 0 ? trace[hit].Iteration.ToString(inv) : "—")} | {(hit >= 0 ? trace[hit].Evaluations.ToString(inv) : "—")} |"));
        }
        lines.Add("");
        double fast = times["lbfgs"], slow = times["gradient"];
        var gradient = runs.Single(r => r.Name == "gradient").Result;
        lines.Add(double.IsFinite(slow)
            ? string.Create(inv, $"Time to target, fixed step / L-BFGS: **{slow / fast:G3}×**.")
            : string.Create(inv, $"Time to target, fixed step / L-BFGS: **≥ {gradient.Seconds / fast:G3}×** (the fixed step had not reached the target after {gradient.Seconds:F0} s and {gradient.Iterations} iterations, at φ_γ − target = {gradient.Final.Penalized - target:E2})."));
        // The best value is usually L-BFGS's own last one, so its time to that target is its whole run. A second target —
        // the value the fixed step ends at — measures how much sooner each rule gets where the papers' rule gets.
        double reach = gradient.Final.Penalized;
        lines.Add("");
        lines.Add(string.Create(inv, $"Time to the fixed step's final value φ_γ = {reach:R} (reached by it after {gradient.Seconds:F0} s):"));
        lines.Add("");
        lines.Add("| upper step | seconds | iterations | evaluations | fixed step's seconds ÷ these |");
        lines.Add("|---|---|---|---|---|");
        foreach (var (name, trace, _) in runs)
        {
            int hit = trace.FindIndex(t => t.Phi <= reach);
            lines.Add(hit >= 0
                ? string.Create(inv, $"| {name} | {trace[hit].Seconds:F2} | {trace[hit].Iteration} | {trace[hit].Evaluations} | {gradient.Seconds / Math.Max(trace[hit].Seconds, 1e-9):G3}× |")
                : $"| {name} | not reached | — | — | — |");
        }
        lines.Add("");
        lines.Add($"Load average (1 min) at the end: {Load()}.");
        File.WriteAllLines(Path.Combine(resultsDirectory, "upper-steps.md"), lines);
        foreach (var line in lines) Console.WriteLine(line);
        return 0;
    }
}
