using System.Globalization;
using Pbgd.LowerLevel;
using Pbgd.Problems.Toys;
using Pbgd.Reporting;
using Pbgd.Solvers;
using Pbgd.Checkpoints;

namespace Pbgd.Benchmarks;

/// RXGF's iteration count against the target tolerance on [A25]'s toy (issue 6), next to the paper's O(ε^−1.5) law
/// for the squared KKT residual: for ε = 10⁻¹…10⁻⁶ the relaxation and the stopping tolerance are both ε (an ε-KKT point of
/// the ε-relaxed problem), on three seeded instances and starts; log(count) is fitted by log c + p·log(1/ε). A
/// measurement, not a target: writes results/rxgf-rate.md and .svg.
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
        var series = new List<SvgSeries>();
        var fits = new List<string>();
        string[] colors = ["#1f77b4", "#d62728", "#2ca02c"];
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
            }
            series.Add(new SvgSeries($"seed {seed}", counts.Select(c => Math.Log10(1 / c.Eps)).ToArray(), counts.Select(c => (double)c.Count).ToArray(), colors[seed - 1]));
            if (counts.Count >= 3)
            {
                var x = counts.Select(c => Math.Log(1 / c.Eps)).ToArray();
                var y = counts.Select(c => Math.Log(c.Count)).ToArray();
                var (p, c0) = LeastSquaresLine.Fit(x, y);
                double rms = LeastSquaresLine.Rms(y, x.Select(v => c0 + p * v).ToArray());
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
        AtomicFile.WriteText(Path.Combine(resultsDirectory, "rxgf-rate.svg"), w => SvgPlot.Write("RXGF iterations until KKT² ≤ ε (ε-relaxed)",
            [new SvgPanel("iterations (log scale)", "log10(1/ε)", true, series)], w));
        foreach (var l in fits) Console.WriteLine(l);
        Console.WriteLine($"table: {Path.Combine(resultsDirectory, "rxgf-rate.md")}");
        return 0;
    }
}
