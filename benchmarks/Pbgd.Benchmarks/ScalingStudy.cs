using System.Diagnostics;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Benchmarks;

/// Time per PBGD-B hyper-cleaning iteration (squared loss, normal-equations oracle) against N from 10⁴ to 10⁶ at
/// m = 784, c = 10, N' = 5 000, with the fitted exponent of time ∝ N^k, and the process's peak resident memory
/// (VmHWM) against the data set's size. Sizes run smallest first, so each peak is that size's own.
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
            logN.Add(Math.Log(n));
            logT.Add(Math.Log(times[1]));
        }
        var (slope, _) = LeastSquaresLine.Fit([.. logN], [.. logT]);
        lines.Add("");
        lines.Add($"Fitted exponent of time ∝ N^k over N = {sizes[0]}…{sizes[^1]}: **k = {slope:F3}**.");
        File.WriteAllLines(Path.Combine(resultsDirectory, "scaling.md"), lines);
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
