using System.Globalization;
using Pbgd.Certificates;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Reporting;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;
using Pbgd.Checkpoints;

namespace Pbgd.Benchmarks;

/// The iteration-count study of [XC24]'s claim (benchmark issue): for ε = 10⁻¹…10⁻⁶, γ = γ₀ε^−½, α = Θ(1/γ)
/// (the derived step), count outer iterations and lower-level gradient steps until L_γ − min L_γ ≤ ε, with the
/// exact oracle and with the iterative one (T = ⌈c_T·ln(1/ε)⌉). Both laws are fitted to log(count):
/// a + b·log²(1/ε) and log c + p·log(1/ε); the RMS log-residual says which fits. μ(γ) is the measured linear
/// rate: the slope of log(L_γ − min L_γ) per iteration divided by α. A measurement, not a target.
public static class ConvergenceStudy
{
    private static readonly double[] Epsilons = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6];

    // Each run is capped: a run that cannot reach ε (an inexact oracle's bias can keep L_γ above min L_γ + ε)
    // stops with MaxIterations, and the table says so rather than waiting forever.
    private const int MaxIterations = 300_000;

    private sealed record Row(string Study, string Oracle, double Epsilon, double Gamma, int Outer, int LowerSteps, double Mu, string Stop);

    public static int Run(string resultsDirectory, bool quick)
    {
        var rows = new List<Row>();
        var eps = quick ? Epsilons[..4] : Epsilons;

        // Representation learning (joint PL, PBGD-J): min L_γ from the generic-branch certificate.
        var d = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 4);
        foreach (string oracleKind in new[] { "exact", "iterative" })
            foreach (double e in eps)
            {
                var problem = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
                double gamma = PenaltySchedule.FromEpsilon(e).Start;
                double minL = RepresentationLearningCertificate.MinimumPenalized(d.XTrain, d.YTrain, d.XValidation, d.YValidation, gamma).Value;
                rows.Add(Measure("replearn (PBGD-J)", oracleKind, e, gamma, minL, problem, Oracle(problem, oracleKind, e),
                    o => new PbgdJacobi(problem, o.Oracle, o.Options), d.W1.Data, d.W2.Data));
            }

        // Hyper-cleaning (blockwise PL, PBGD-B), realistic instance: no closed form, so min L_γ is the value a
        // long exact run reaches at a 1e−11 gradient tolerance (stated in the output).
        var h = HyperCleaningGenerator.Realistic(120, 40, 4, 3, 0.4, seed: 2);
        foreach (string oracleKind in new[] { "exact", "iterative" })
            foreach (double e in eps)
            {
                var problem = new HyperCleaningSquaredProblem(h.XTrain, h.YTrain, h.XValidation, h.YValidation, new HyperCleaningSquaredOptions { Radius = 5 });
                double gamma = PenaltySchedule.FromEpsilon(e).Start;
                var u0 = new double[problem.UpperDimension];
                var v0 = new double[problem.LowerDimension];
                var reference = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
                {
                    Penalty = PenaltySchedule.Constant(gamma), MaxIterations = 4 * MaxIterations, GradientTolerance = 1e-11,
                }).Run(u0, v0);
                rows.Add(Measure("hyperclean (PBGD-B)", oracleKind, e, gamma, reference.Final.Penalized, problem, Oracle(problem, oracleKind, e),
                    o => new PbgdBlockwise(problem, o.Oracle, o.Options), u0, v0));
            }

        var report = Report(rows);
        File.WriteAllLines(Path.Combine(resultsDirectory, "convergence.md"), report);
        foreach (var line in report) Console.WriteLine(line);
        AtomicFile.WriteText(Path.Combine(resultsDirectory, "convergence.svg"), w => Plot(rows, w));
        Console.WriteLine($"plot: {Path.Combine(resultsDirectory, "convergence.svg")}");
        return 0;
    }

    private static ILowerLevelOracle Oracle(IBilevelProblem problem, string kind, double epsilon) => kind == "exact"
        ? new ExactLowerLevelOracle(problem)
        : new IterativeLowerLevelOracle(problem, new IterativeOracleOptions { StepsPerLogInverseEpsilon = 2, Epsilon = Math.Min(epsilon, 0.5), WarmStart = true });

    private static Row Measure(string study, string oracleKind, double epsilon, double gamma, double minL, IBilevelProblem problem,
        ILowerLevelOracle oracle, Func<(ILowerLevelOracle Oracle, PbgdOptions Options), PbgdSolver> create, double[] u0, double[] v0)
    {
        var gaps = new List<(int K, double Gap, double Alpha)>();
        var options = new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(gamma),
            MaxIterations = MaxIterations,
            PenalizedReference = minL,
            PenalizedGapTolerance = epsilon,
            LogEvery = 1_000_000,
            Observer = (in IterationRecord r, ReadOnlySpan<double> _, ReadOnlySpan<double> _) =>
            {
                if (r.Iteration % 10 == 0) gaps.Add((r.Iteration, r.Penalized - minL, r.StepSize));
            },
        };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = create((oracle, options)).Run(u0, v0);
        Console.WriteLine(FormattableString.Invariant($"  {study}, {oracleKind}, ε = {epsilon:E0}: {result.Iterations} iterations, {result.Counts.InnerSteps} lower steps, {result.StopReason}, {watch.Elapsed.TotalSeconds:F1} s"));
        // μ from the log-linear tail of the gap curve: fit over the points with gap in (ε, first gap / 10].
        var tail = gaps.Where(g => g.Gap > epsilon && g.Gap < gaps[0].Gap / 10).ToList();
        double mu = double.NaN;
        if (tail.Count >= 3)
        {
            var (slope, _) = LeastSquaresLine.Fit(tail.Select(t => (double)t.K).ToArray(), tail.Select(t => Math.Log(t.Gap)).ToArray());
            mu = -slope / tail.Average(t => t.Alpha);
        }
        return new Row(study, oracleKind, epsilon, gamma, result.Iterations, (int)result.Counts.InnerSteps, mu, result.StopReason.ToString());
    }

    private static List<string> Report(List<Row> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            "# Iteration counts against the target accuracy ε (γ = ε^−½, α derived = Θ(1/γ))",
            "",
            "min L_γ: replearn from the generic-branch certificate; hyperclean from an exact PBGD-B run to a 1e−11 gradient tolerance.",
            "Iterative oracle: T = ⌈2·ln(1/ε)⌉ warm-started steps, β = 1/ℓ_g.",
            "",
            "| study | oracle | ε | γ | outer iterations | lower-level steps | μ(γ) | stop |",
            "|---|---|---|---|---|---|---|---|",
        };
        foreach (var r in rows)
            lines.Add(string.Create(inv, $"| {r.Study} | {r.Oracle} | {r.Epsilon:E0} | {r.Gamma:G4} | {r.Outer} | {r.LowerSteps} | {r.Mu:G3} | {r.Stop} |"));
        lines.Add("");
        lines.Add("Fits use the runs that reached ε (capped runs are lower bounds and are left out).");
        lines.Add("");
        lines.Add("| study | oracle | count | fit a + b·log²(1/ε): b, RMS log-residual | fit c·ε^−p: p, RMS log-residual | better fit |");
        lines.Add("|---|---|---|---|---|---|");
        foreach (var group in rows.GroupBy(r => (r.Study, r.Oracle)))
            foreach (var (name, select) in new (string, Func<Row, double>)[] { ("outer", r => r.Outer), ("lower steps", r => r.LowerSteps) })
            {
                // Only runs that reached ε count: a capped run's count is a lower bound, not a measurement.
                var pts = group.Where(r => select(r) > 0 && r.Stop == nameof(StopReason.Converged)).ToList();
                if (pts.Count < 3) continue;
                var y = pts.Select(r => Math.Log(select(r))).ToArray();
                var l = pts.Select(r => Math.Log(1 / r.Epsilon)).ToArray();
                var (b, a) = LeastSquaresLine.Fit(l.Select(x => x * x).ToArray(), y);
                double rmsLog2 = LeastSquaresLine.Rms(y, l.Select(x => a + b * x * x).ToArray());
                var (p, c) = LeastSquaresLine.Fit(l, y);
                double rmsPow = LeastSquaresLine.Rms(y, l.Select(x => c + p * x).ToArray());
                lines.Add(string.Create(inv, $"| {group.Key.Study} | {group.Key.Oracle} | {name} | b = {b:G3}, {rmsLog2:F3} | p = {p:F3}, {rmsPow:F3} | {(rmsLog2 < rmsPow ? "log²(1/ε)" : "ε^−p")} |"));
            }
        return lines;
    }

    private static void Plot(List<Row> rows, TextWriter writer)
    {
        var colors = new[] { "#1f77b4", "#d62728", "#2ca02c", "#9467bd" };
        var series = rows.GroupBy(r => (r.Study, r.Oracle)).Select((g, i) => new SvgSeries($"{g.Key.Study}, {g.Key.Oracle} oracle",
            g.Select(r => Math.Log10(1 / r.Epsilon)).ToArray(), g.Select(r => (double)r.Outer).ToArray(), colors[i % colors.Length])).ToList();
        SvgPlot.Write("Outer iterations until L_γ − min L_γ ≤ ε, γ = ε^−½", [new SvgPanel("iterations (log scale)", "log10(1/ε)", true, series)], writer);
    }
}
