using System.Globalization;
using Pbgd.Certificates;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Reporting;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;
using Pbgd.Checkpoints;
using ScottPlot;

namespace Pbgd.Benchmarks;

/// The iteration-count study of [XC24]'s claim: for ε = 10⁻¹…10⁻⁸, γ = γ₀ε^−½, count outer iterations, evaluations and
/// the lower-level work (exact solves and gradient steps) until L_γ − min L_γ ≤ ε, for each upper step (the derived
/// fixed step α = Θ(1/γ), L-BFGS and BB with line searches) and oracle. Three laws are fitted to log(count) —
/// a + b·log(1/ε), a + b·log²(1/ε) and log c + p·log(1/ε) — with their RMS log-residuals; a second table counts against
/// γ at a fixed target. μ(γ) is the fixed step's measured linear rate: the slope of log(L_γ − min L_γ) per iteration
/// divided by α. A measurement, not a target.
public static class ConvergenceStudy
{
    private static readonly double[] Epsilons = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8];

    // The fixed step's count grows like γ = ε^−½ and beyond: below this ε its runs would only hit the cap.
    private const double GradientFloor = 1e-6;

    // Each run is capped: a run that cannot reach ε (an inexact oracle's bias can keep L_γ above min L_γ + ε)
    // stops with MaxIterations, and the table says so rather than waiting forever.
    private const int MaxIterations = 300_000;

    private sealed record Row(string Study, string Step, string Oracle, double Epsilon, double Gamma, int Outer, long Evaluations,
        long LowerWork, double Mu, string Stop);

    private static readonly UpperStepRule[] Steps = [UpperStepRule.Gradient, UpperStepRule.Lbfgs, UpperStepRule.SpectralGradient];

    public static int Run(string resultsDirectory, bool quick)
    {
        var rows = new List<Row>();
        var gammaRows = new List<Row>();
        var eps = quick ? Epsilons[..4] : Epsilons;

        // Representation learning (joint PL, PBGD-J; PBGD-B too, whose φ_γ is flat on this overparameterized instance):
        // min L_γ from the generic-branch certificate.
        var d = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 4);
        double ReplearnMin(double gamma) => RepresentationLearningCertificate.MinimumPenalized(d.XTrain, d.YTrain, d.XValidation, d.YValidation, gamma).Value;
        RepresentationLearningProblem Replearn() => new(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
        foreach (var step in Steps)
            foreach (string oracleKind in new[] { "exact", "iterative" })
            {
                // The line searches need a consistent objective: a fixed-step iterative oracle changes ω between trials.
                if (step != UpperStepRule.Gradient && oracleKind == "iterative") continue;
                foreach (double e in eps)
                {
                    if (step == UpperStepRule.Gradient && e < GradientFloor) continue;
                    var problem = Replearn();
                    double gamma = PenaltySchedule.FromEpsilon(e).Start;
                    rows.Add(Measure("replearn (PBGD-J)", step, oracleKind, e, gamma, ReplearnMin(gamma), problem, Oracle(problem, oracleKind, e),
                        o => new PbgdJacobi(problem, o.Oracle, o.Options), d.W1.Data, d.W2.Data));
                }
            }
        foreach (double e in eps)
        {
            var problem = Replearn();
            double gamma = PenaltySchedule.FromEpsilon(e).Start;
            rows.Add(Measure("replearn (PBGD-B)", UpperStepRule.Lbfgs, "exact", e, gamma, ReplearnMin(gamma), problem, Oracle(problem, "exact", e),
                o => new PbgdBlockwise(problem, o.Oracle, o.Options), d.W1.Data, d.W2.Data));
        }

        // Hyper-cleaning (blockwise PL, PBGD-B), realistic instance: no closed form, so min L_γ is the value a long
        // L-BFGS run reaches at a 1e−12 gradient tolerance (checked against a fixed-step run's value in the output).
        var h = HyperCleaningGenerator.Realistic(120, 40, 4, 3, 0.4, seed: 2);
        HyperCleaningSquaredProblem Cleaning() => new(h.XTrain, h.YTrain, h.XValidation, h.YValidation, new HyperCleaningSquaredOptions { Radius = 5 });
        var references = new Dictionary<double, double>();
        double CleaningMin(double gamma)
        {
            if (references.TryGetValue(gamma, out double value)) return value;
            var problem = Cleaning();
            var reference = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
            {
                Penalty = PenaltySchedule.Constant(gamma), UpperStep = UpperStepRule.Lbfgs, MaxIterations = 100_000, GradientTolerance = 1e-12,
            }).Run(new double[problem.UpperDimension], new double[problem.LowerDimension]);
            Console.WriteLine(FormattableString.Invariant($"  reference min L_γ at γ = {gamma:G4}: {reference.Final.Penalized:R} ({reference.StopReason}, {reference.Iterations} iterations)"));
            return references[gamma] = reference.Final.Penalized;
        }
        foreach (var step in Steps)
            foreach (string oracleKind in new[] { "exact", "iterative" })
            {
                if (step != UpperStepRule.Gradient && oracleKind == "iterative") continue;
                foreach (double e in eps)
                {
                    if (step == UpperStepRule.Gradient && e < GradientFloor) continue;
                    var problem = Cleaning();
                    double gamma = PenaltySchedule.FromEpsilon(e).Start;
                    rows.Add(Measure("hyperclean (PBGD-B)", step, oracleKind, e, gamma, CleaningMin(gamma), problem, Oracle(problem, oracleKind, e),
                        o => new PbgdBlockwise(problem, o.Oracle, o.Options), new double[problem.UpperDimension], new double[problem.LowerDimension]));
                }
            }

        // Counts against γ at a fixed target (ε = 1e−8 relative to max(1, min L_γ)), exact oracle.
        const double target = 1e-8;
        foreach (double gamma in quick ? new[] { 10.0, 100.0 } : new[] { 10.0, 100.0, 1000.0 })
            foreach (var step in Steps)
            {
                var rl = Replearn();
                double minL = ReplearnMin(gamma);
                gammaRows.Add(Measure("replearn (PBGD-J)", step, "exact", target * Math.Max(1, minL), gamma, minL, rl, Oracle(rl, "exact", target),
                    o => new PbgdJacobi(rl, o.Oracle, o.Options), d.W1.Data, d.W2.Data, cap: 2_000_000));
                var hc = Cleaning();
                double minC = CleaningMin(gamma);
                gammaRows.Add(Measure("hyperclean (PBGD-B)", step, "exact", target * Math.Max(1, minC), gamma, minC, hc, Oracle(hc, "exact", target),
                    o => new PbgdBlockwise(hc, o.Oracle, o.Options), new double[hc.UpperDimension], new double[hc.LowerDimension], cap: 2_000_000));
            }

        var report = Report(rows, gammaRows);
        File.WriteAllLines(Path.Combine(resultsDirectory, "convergence.md"), report);
        foreach (var line in report) Console.WriteLine(line);
        WriteCsv(rows, resultsDirectory);
        var figure = Plot(rows);
        Figures.Save(figure, resultsDirectory, "convergence", figure.Count(), 1);
        Console.WriteLine($"plot: {Path.Combine(resultsDirectory, "convergence.png")} (.svg; data: convergence.csv, convergence-fits.csv)");
        return 0;
    }

    private static ILowerLevelOracle Oracle(IBilevelProblem problem, string kind, double epsilon) => kind == "exact"
        ? new ExactLowerLevelOracle(problem)
        : new IterativeLowerLevelOracle(problem, new IterativeOracleOptions { StepsPerLogInverseEpsilon = 2, Epsilon = Math.Min(epsilon, 0.5), WarmStart = true });

    private static Row Measure(string study, UpperStepRule step, string oracleKind, double epsilon, double gamma, double minL, IBilevelProblem problem,
        ILowerLevelOracle oracle, Func<(ILowerLevelOracle Oracle, PbgdOptions Options), PbgdSolver> create, double[] u0, double[] v0,
        int cap = MaxIterations)
    {
        var gaps = new List<(int K, double Gap, double Alpha)>();
        var options = new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(gamma),
            UpperStep = step,
            MaxIterations = cap,
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
        string name = UpperStepRules.Name(step);
        long lowerWork = result.Counts.ExactSolves + result.Counts.InnerSteps;
        Console.WriteLine(FormattableString.Invariant($"  {study}, {name}, {oracleKind}, γ = {gamma:G4}, ε = {epsilon:E0}: {result.Iterations} iterations, {result.Counts.Evaluations} evaluations, {lowerWork} lower-level solves and steps, {result.StopReason}, {watch.Elapsed.TotalSeconds:F1} s"));
        // μ from the log-linear tail of the gap curve: fit over the points with gap in (ε, first gap / 10].
        var tail = gaps.Where(g => g.Gap > epsilon && g.Gap < gaps[0].Gap / 10).ToList();
        double mu = double.NaN;
        if (tail.Count >= 3 && step == UpperStepRule.Gradient)
        {
            var (slope, _) = LeastSquaresLine.Fit(tail.Select(t => (double)t.K).ToArray(), tail.Select(t => Math.Log(t.Gap)).ToArray());
            mu = -slope / tail.Average(t => t.Alpha);
        }
        return new Row(study, name, oracleKind, epsilon, gamma, result.Iterations, result.Counts.Evaluations, lowerWork, mu, result.StopReason.ToString());
    }

    private static List<string> Report(List<Row> rows, List<Row> gammaRows)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            "# Iteration counts against the target accuracy ε (γ = ε^−½)",
            "",
            "Upper steps: `gradient` = the derived fixed step α = Θ(1/γ) (the papers' rule), `lbfgs` = projected L-BFGS with a",
            "line search, `bb` = Barzilai–Borwein with a nonmonotone line search (docs/algorithms.md §3a). min L_γ: replearn from",
            "the generic-branch certificate; hyperclean from an L-BFGS run to a 1e−12 gradient tolerance. Iterative oracle:",
            "T = ⌈2·ln(1/ε)⌉ warm-started steps, β = 1/ℓ_g (fixed step only: a line search needs an objective that does not",
            "change between its trials). Lower-level work = exact solves + lower-level gradient steps.",
            "",
            "| study | upper step | oracle | ε | γ | outer iterations | evaluations | lower-level work | μ(γ) | stop |",
            "|---|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var r in rows)
            lines.Add(string.Create(inv, $"| {r.Study} | {r.Step} | {r.Oracle} | {r.Epsilon:E0} | {r.Gamma:G4} | {r.Outer} | {r.Evaluations} | {r.LowerWork} | {r.Mu:G3} | {r.Stop} |"));
        lines.Add("");
        lines.Add("Fits use the runs that reached ε with at least one iteration (capped runs are lower bounds and are left out).");
        lines.Add("");
        lines.Add("| study | upper step | oracle | count | a + b·log(1/ε): b, RMS | a + b·log²(1/ε): b, RMS | c·ε^−p: p, RMS | best fit |");
        lines.Add("|---|---|---|---|---|---|---|---|");
        foreach (var fit in Fits(rows))
            lines.Add(string.Create(inv, $"| {fit.Study} | {fit.Step} | {fit.Oracle} | {fit.Measure} | b = {fit.B1:G3}, {fit.Rms1:F3} | b = {fit.B2:G3}, {fit.Rms2:F3} | p = {fit.P:F3}, {fit.RmsPow:F3} | {fit.Best} |"));
        lines.Add("");
        lines.Add("The first fit is log(count) = a + b·log(log(1/ε)), i.e. count ∝ log(1/ε)^b: b ≈ 1 is a log(1/ε) law, b ≈ 2 the papers' log².");
        lines.Add("");
        lines.Add("## Counts against γ at a fixed target (L_γ − min L_γ ≤ 1e−8·max(1, min L_γ), exact oracle)");
        lines.Add("");
        lines.Add("| study | upper step | γ | outer iterations | evaluations | lower-level work | stop |");
        lines.Add("|---|---|---|---|---|---|---|");
        foreach (var r in gammaRows)
            lines.Add(string.Create(inv, $"| {r.Study} | {r.Step} | {r.Gamma:G4} | {r.Outer} | {r.Evaluations} | {r.LowerWork} | {r.Stop} |"));
        lines.Add("");
        foreach (var group in gammaRows.GroupBy(r => r.Study))
        {
            var gradient = group.Where(r => r.Step == "gradient").ToDictionary(r => r.Gamma);
            foreach (var step in new[] { "lbfgs", "bb" })
            {
                var fast = group.Where(r => r.Step == step).ToList();
                if (fast.Count == 0) continue;
                string ratios = string.Join(", ", fast.Select(r => string.Create(inv,
                    $"γ = {r.Gamma:G4}: {(gradient.TryGetValue(r.Gamma, out var g) && r.Outer > 0 ? $"{(double)g.Outer / r.Outer:G3}×{(g.Stop == nameof(StopReason.Converged) ? "" : " (gradient capped: a lower bound)")}" : "—")}")));
                int most = fast.Max(r => r.Outer), least = fast.Min(r => r.Outer);
                lines.Add(string.Create(inv, $"- {group.Key}, {step}: fewer outer iterations than the fixed step by {ratios}; across γ its count spans {least}–{most} ({(least > 0 ? $"{(double)most / least:G3}×" : "—")})."));
            }
        }
        return lines;
    }

    // The three laws fitted to log(count) against l = log(1/ε): a1 + b1·log(l), a2 + b2·l² and c + p·l.
    private sealed record Fit(string Study, string Step, string Oracle, string Measure, double A1, double B1, double Rms1,
        double A2, double B2, double Rms2, double C, double P, double RmsPow, string Best)
    {
        public double LogCount(string law, double l) => law switch
        {
            "log(1/ε)" => A1 + B1 * Math.Log(l),
            "log²(1/ε)" => A2 + B2 * l * l,
            _ => C + P * l,
        };
    }

    // Fits use the runs that reached ε with at least one iteration (capped runs are lower bounds).
    private static List<Fit> Fits(List<Row> rows)
    {
        var fits = new List<Fit>();
        foreach (var group in rows.GroupBy(r => (r.Study, r.Step, r.Oracle)))
            foreach (var (name, select) in new (string, Func<Row, double>)[] { ("outer", r => r.Outer), ("evaluations", r => r.Evaluations), ("lower-level work", r => r.LowerWork) })
            {
                var pts = group.Where(r => select(r) > 0 && r.Outer > 0 && r.Stop == nameof(StopReason.Converged)).ToList();
                if (pts.Count < 3) continue;
                var y = pts.Select(r => Math.Log(select(r))).ToArray();
                var l = pts.Select(r => Math.Log(1 / r.Epsilon)).ToArray();
                var (b1, a1) = LeastSquaresLine.Fit(l.Select(x => Math.Log(x)).ToArray(), y);
                double rmsLog = LeastSquaresLine.Rms(y, l.Select(x => a1 + b1 * Math.Log(x)).ToArray());
                var (b2, a2) = LeastSquaresLine.Fit(l.Select(x => x * x).ToArray(), y);
                double rmsLog2 = LeastSquaresLine.Rms(y, l.Select(x => a2 + b2 * x * x).ToArray());
                var (p, c) = LeastSquaresLine.Fit(l, y);
                double rmsPow = LeastSquaresLine.Rms(y, l.Select(x => c + p * x).ToArray());
                string best = rmsLog <= rmsLog2 && rmsLog <= rmsPow ? "log(1/ε)" : rmsLog2 <= rmsPow ? "log²(1/ε)" : "ε^−p";
                fits.Add(new Fit(group.Key.Study, group.Key.Step, group.Key.Oracle, name, a1, b1, rmsLog, a2, b2, rmsLog2, c, p, rmsPow, best));
            }
        return fits;
    }

    // convergence.csv: every measured run; convergence-fits.csv: every fitted law (count = exp(law(ln(1/ε)))).
    private static void WriteCsv(List<Row> rows, string directory)
    {
        var inv = CultureInfo.InvariantCulture;
        AtomicFile.WriteText(Path.Combine(directory, "convergence.csv"), w =>
        {
            w.WriteLine("study,upper_step,oracle,epsilon,gamma,outer_iterations,evaluations,lower_level_work,mu,stop");
            foreach (var r in rows)
                w.WriteLine(string.Create(inv, $"\"{r.Study}\",{r.Step},{r.Oracle},{r.Epsilon:R},{r.Gamma:R},{r.Outer},{r.Evaluations},{r.LowerWork},{r.Mu:R},{r.Stop}"));
        });
        AtomicFile.WriteText(Path.Combine(directory, "convergence-fits.csv"), w =>
        {
            w.WriteLine("study,upper_step,oracle,measure,log_a,log_b,log_rms,log2_a,log2_b,log2_rms,power_c,power_p,power_rms,best");
            foreach (var f in Fits(rows))
                w.WriteLine(string.Create(inv, $"\"{f.Study}\",{f.Step},{f.Oracle},{f.Measure},{f.A1:R},{f.B1:R},{f.Rms1:R},{f.A2:R},{f.B2:R},{f.Rms2:R},{f.C:R},{f.P:R},{f.RmsPow:R},{f.Best}"));
        });
    }

    // One panel per study: outer iterations against log10(1/ε) (log ordinate), the measured runs as markers and the
    // best-fitting law of each upper step and oracle as a thin line of the same colour over the ε they span (solid: SkiaSharp's SVG canvas drops dash patterns).
    private static Multiplot Plot(List<Row> rows)
    {
        var studies = rows.Select(r => r.Study).Distinct().ToList();
        var figure = Figures.Grid(studies.Count, 1);
        var plots = figure.GetPlots();
        var fits = Fits(rows).Where(f => f.Measure == "outer").ToList();
        for (int s = 0; s < studies.Count; s++)
        {
            var groups = rows.Where(r => r.Study == studies[s]).GroupBy(r => (r.Step, r.Oracle)).ToList();
            for (int i = 0; i < groups.Count; i++)
            {
                var g = groups[i];
                var fit = fits.FirstOrDefault(f => f.Study == studies[s] && f.Step == g.Key.Step && f.Oracle == g.Key.Oracle);
                string label = $"{g.Key.Step}, {g.Key.Oracle}" + (fit is null ? "" : $" (best fit: {fit.Best})");
                Figures.Curve(plots[s], label, g.Select(r => Math.Log10(1 / r.Epsilon)).ToArray(), g.Select(r => (double)r.Outer).ToArray(), i, logY: true, markers: true);
                if (fit is null) continue;
                var converged = g.Where(r => r.Stop == nameof(StopReason.Converged) && r.Outer > 0).Select(r => Math.Log(1 / r.Epsilon)).ToList();
                double lo = converged.Min(), hi = converged.Max();
                var ls = Enumerable.Range(0, 41).Select(k => lo + (hi - lo) * k / 40).ToArray();
                var line = Figures.Curve(plots[s], "", ls.Select(l => l / Math.Log(10)).ToArray(), ls.Select(l => Math.Exp(fit.LogCount(fit.Best, l))).ToArray(), i, logY: true);
                if (line is not null) line.LineWidth = 1;
            }
            Figures.Decorate(plots[s], $"{studies[s]}: outer iterations until L_γ − min L_γ ≤ ε, γ = ε^−½", "log10(1/ε)", "outer iterations", logY: true, legend: Alignment.UpperLeft,
                emptyNote: "every run met ε at iteration 0 (convergence.csv): nothing to draw on a log scale");
        }
        return figure;
    }
}
