using System.Diagnostics;
using Pbgd.Checkpoints;
using ScottPlot;
using Pbgd.LowerLevel;
using Pbgd.Reporting;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Benchmarks;

/// Time per PBGD-B hyper-cleaning iteration (squared loss, normal-equations oracle) against N from 10⁴ to 10⁶ at
/// m = 784, c = 10, N' = 5 000, with the fitted exponent of time ∝ N^k, and the process's peak resident memory
/// (VmHWM) against the data set's size. Sizes run smallest first, so each peak is that size's own. Writes results/scaling.md,
/// scaling.csv (the plot's numbers and the fit) and scaling.png/.svg.
public static class ScalingStudy
{
    public static int Run(string resultsDirectory)
    {
        const int m = 784, c = 10, nVal = 5_000;
        var sizes = new[] { 10_000, 30_000, 100_000, 300_000, 1_000_000 };
        var lines = new List<string>
        {
            $"# Scaling of the PBGD-B iteration in N (m = {m}, c = {c}, N' = {nVal}, normal-equations oracle, {Environment.ProcessorCount} threads)",
            "",
            "| N | ms / iteration (median of 3) | data set (MB) | peak resident (MB) | peak / data set |",
            "|---|---|---|---|---|",
        };
        var logN = new List<double>();
        var logT = new List<double>();
        var measured = new List<(int N, double Ms, double DataMb, double PeakMb)>();
        foreach (int n in sizes)
        {
            var (solver, state, _, _) = Workloads.HyperCleaning(n, nVal, m, c);
            var times = new double[3];
            for (int k = 0; k < 3; k++)
            {
                long t0 = Stopwatch.GetTimestamp();
                solver.Step(state);
                times[k] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
            Array.Sort(times);
            double dataMb = 8.0 * (n + nVal) * (m + c) / 1e6;
            double peakMb = PeakResidentMb();
            lines.Add($"| {n} | {times[1]:F1} | {dataMb:F0} | {peakMb:F0} | {peakMb / dataMb:F2} |");
            Console.WriteLine(lines[^1]);
            measured.Add((n, times[1], dataMb, peakMb));
            logN.Add(Math.Log(n));
            logT.Add(Math.Log(times[1]));
        }
        var (slope, intercept) = LeastSquaresLine.Fit([.. logN], [.. logT]);
        lines.Add("");
        lines.Add($"Fitted exponent of time ∝ N^k over N = {sizes[0]}…{sizes[^1]}: **k = {slope:F3}**.");
        File.WriteAllLines(Path.Combine(resultsDirectory, "scaling.md"), lines);
        // The plot's numbers, with the fitted law ms = exp(intercept)·N^k at each size.
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        AtomicFile.WriteText(Path.Combine(resultsDirectory, "scaling.csv"), w =>
        {
            w.WriteLine("n,ms_per_iteration,data_mb,peak_resident_mb,fit_k,fit_log_c,fitted_ms");
            foreach (var m in measured)
                w.WriteLine(string.Create(inv, $"{m.N},{m.Ms:R},{m.DataMb:R},{m.PeakMb:R},{slope:R},{intercept:R},{Math.Exp(intercept + slope * Math.Log(m.N)):R}"));
        });
        // Time per iteration against N, both logarithmic (log10 N on the abscissa): the measurements as markers and the
        // fitted power law as a line.
        var figure = Figures.Grid(1, 1);
        var plot = figure.GetPlots()[0];
        double[] x = measured.Select(m => Math.Log10(m.N)).ToArray();
        Figures.Curve(plot, "measured (median of 3)", x, measured.Select(m => m.Ms).ToArray(), 0, logY: true, markers: true);
        var fit = Figures.Curve(plot, string.Create(inv, $"fit: time ∝ N^{slope:F3}"), x, measured.Select(m => Math.Exp(intercept + slope * Math.Log(m.N))).ToArray(), 1, logY: true);
        if (fit is not null) fit.LineWidth = 1;
        Figures.Decorate(plot, $"PBGD-B iteration time against N (m = {m}, c = {c}, N' = {nVal})", "log10(N)", "ms per iteration", logY: true, legend: Alignment.UpperLeft);
        Figures.Save(figure, resultsDirectory, "scaling", 1, 1);
        Console.WriteLine(lines[^1]);
        return 0;
    }

    private static double PeakResidentMb()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return double.NaN;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }
}
