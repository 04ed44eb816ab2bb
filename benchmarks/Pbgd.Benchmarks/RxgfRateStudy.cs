using System.Globalization;
using Pbgd.LowerLevel;
using Pbgd.Problems.Toys;
using Pbgd.Reporting;
using Pbgd.Solvers;
using Pbgd.Checkpoints;
using ScottPlot;

namespace Pbgd.Benchmarks;

/// RXGF's iteration count against the target tolerance on [A25]'s toy (issue 6), next to the paper's O(ε^−1.5) law
/// for the squared KKT residual: for ε = 10⁻¹…10⁻⁶ the relaxation and the stopping tolerance are both ε (an ε-KKT point of
/// the ε-relaxed problem), on three seeded instances and starts; log(count) is fitted by log c + p·log(1/ε). A
/// measurement, not a target: writes results/rxgf-rate.md, .csv (the plot's numbers), .png and .svg.
public static class RxgfRateStudy
{
    private static readonly double[] Tolerances = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6];
    private const int MaxIterations = 2_000_000;

    public static int Run(string resultsDirectory)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            "# RXGF iteration counts against the tolerance ε ([A25]'s toy, d = 20)",
            "",
            "Relaxation ε of ‖∇_y g‖² ≤ ε and stop at squared KKT residual ≤ ε; α = 1, derived step η_k = 1/(ℓ_f + 2λ_kℓ_g²);",
            $"start uniform in [−1, 1]^40 (seeded); cap {MaxIterations:N0} iterations. Command: `dotnet cake --target=Bench --bench=rxgf`.",
            "",
            "| seed | ε | iterations | final KKT² | final λ | f | stop | seconds |",
            "|---|---|---|---|---|---|---|---|",
        };
        var fits = new List<string>();
        // The plot's numbers: every run (seed, ε, iterations, stop) and each seed's fitted law log c + p·log(1/ε).
        var points = new List<(int Seed, double Eps, int Count, string Stop)>();
        var laws = new Dictionary<int, (double P, double C, double Rms)>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var toy = new RxgfToy(20, seed);
            var random = new Random(seed * 31 + 7);
            var u0 = Enumerable.Range(0, 20).Select(_ => 2 * random.NextDouble() - 1).ToArray();
            var v0 = Enumerable.Range(0, 20).Select(_ => 2 * random.NextDouble() - 1).ToArray();
            var counts = new List<(double Eps, int Count)>();
            foreach (double eps in Tolerances)
            {
                var r = new Rxgf(toy, new ExactLowerLevelOracle(toy), new RxgfOptions
                {
                    Epsilon = eps, KktTolerance = eps, MaxIterations = MaxIterations, LogEvery = MaxIterations,
                }).Run(u0, v0);
                lines.Add(string.Create(inv, $"| {seed} | {eps:E0} | {r.Iterations} | {r.Final.KktResidual:E2} | {r.Final.Gamma:G4} | {r.Final.Upper:G6} | {r.StopReason} | {r.Seconds:F2} |"));
                Console.WriteLine(lines[^1]);
                if (r.StopReason == StopReason.Converged && r.Iterations > 0) counts.Add((eps, r.Iterations));
                points.Add((seed, eps, r.Iterations, r.StopReason.ToString()));
            }
            if (counts.Count >= 3)
            {
                var x = counts.Select(c => Math.Log(1 / c.Eps)).ToArray();
                var y = counts.Select(c => Math.Log(c.Count)).ToArray();
                var (p, c0) = LeastSquaresLine.Fit(x, y);
                double rms = LeastSquaresLine.Rms(y, x.Select(v => c0 + p * v).ToArray());
                laws[seed] = (p, c0, rms);
                // The last three tolerances alone: the asymptotic exponent, if the early ones are pre-asymptotic.
                var (pTail, _) = LeastSquaresLine.Fit(x[^3..], y[^3..]);
                fits.Add(string.Create(inv, $"| {seed} | {counts.Count} | p = {p:F3} (RMS log-residual {rms:F3}) | p = {pTail:F3} | 1.5 |"));
            }
        }
        lines.Add("");
        lines.Add("Fits of log(iterations) = log c + p·log(1/ε) over the converged runs:");
        lines.Add("");
        lines.Add("| seed | runs | all ε | three smallest ε | [A25]'s p |");
        lines.Add("|---|---|---|---|---|");
        lines.AddRange(fits);
        Directory.CreateDirectory(resultsDirectory);
        AtomicFile.WriteText(Path.Combine(resultsDirectory, "rxgf-rate.md"), w => { foreach (var l in lines) w.WriteLine(l); });
        AtomicFile.WriteText(Path.Combine(resultsDirectory, "rxgf-rate.csv"), w =>
        {
            w.WriteLine("seed,epsilon,iterations,stop,fit_p,fit_log_c,fit_rms,fitted_iterations");
            foreach (var pt in points)
            {
                var law = laws.TryGetValue(pt.Seed, out var l) ? l : (P: double.NaN, C: double.NaN, Rms: double.NaN);
                w.WriteLine(string.Create(inv, $"{pt.Seed},{pt.Eps:R},{pt.Count},{pt.Stop},{law.P:R},{law.C:R},{law.Rms:R},{Math.Exp(law.C + law.P * Math.Log(1 / pt.Eps)):R}"));
            }
        });
        // Iterations against log10(1/ε) on a log scale: each seed's converged runs as markers, its fitted power law as a
        // thin line of the same colour.
        var figure = Figures.Grid(1, 1);
        var plot = figure.GetPlots()[0];
        foreach (int seed in points.Select(p => p.Seed).Distinct())
        {
            var converged = points.Where(p => p.Seed == seed && p.Stop == nameof(StopReason.Converged) && p.Count > 0).ToList();
            string label = laws.TryGetValue(seed, out var law) ? string.Create(inv, $"seed {seed} (fit: p = {law.P:F3})") : $"seed {seed}";
            Figures.Curve(plot, label, converged.Select(p => Math.Log10(1 / p.Eps)).ToArray(), converged.Select(p => (double)p.Count).ToArray(), seed - 1, logY: true, markers: true);
            if (!laws.ContainsKey(seed)) continue;
            double[] x = converged.Select(p => Math.Log10(1 / p.Eps)).ToArray();
            var line = Figures.Curve(plot, "", x, x.Select(v => Math.Exp(law.C + law.P * v * Math.Log(10))).ToArray(), seed - 1, logY: true);
            if (line is not null) line.LineWidth = 1;
        }
        Figures.Decorate(plot, "RXGF iterations until KKT² ≤ ε (ε-relaxed)", "log10(1/ε)", "iterations", logY: true, legend: Alignment.UpperLeft);
        Figures.Save(figure, resultsDirectory, "rxgf-rate", 1, 1);
        foreach (var l in fits) Console.WriteLine(l);
        Console.WriteLine($"table: {Path.Combine(resultsDirectory, "rxgf-rate.md")}");
        return 0;
    }
}
