using System.Text.Json;

namespace Pbgd.Benchmarks;

/// Compares a fresh BenchmarkDotNet full JSON report with a stored one. Each median is first divided by the
/// geometric mean of the same run's probe medians (ProbeDgemm, ProbeRead), because absolute times drift on
/// shared machines; a benchmark regresses when its normalised time grows by more than the threshold plus the
/// combined relative noise of both runs — BenchmarkDotNet's 99.9 % confidence-interval margins (a short job's
/// standard deviation over 3 iterations understates its noise several times). Exit code 1 on any regression.
public static class BenchCompare
{
    public static int Run(string baselinePath, string currentPath, double threshold)
    {
        var baseline = Load(baselinePath);
        var current = Load(currentPath);
        double scaleBase = ProbeScale(baseline, baselinePath), scaleCur = ProbeScale(current, currentPath);
        Console.WriteLine($"baseline {baselinePath}\ncurrent  {currentPath}\nprobe ratio (current/baseline) {scaleCur / scaleBase:F3}; threshold {threshold:P0}\n");
        Console.WriteLine($"{"benchmark",-60} {"base (norm.)",12} {"now (norm.)",12} {"change",8} {"noise",7}  verdict");
        int regressions = 0;
        foreach (var (name, b) in baseline.Where(kv => !kv.Key.Contains("Probe", StringComparison.Ordinal)))
        {
            if (!current.TryGetValue(name, out var c)) { Console.WriteLine($"{name,-60} missing from the current run"); continue; }
            double nb = b.Median / scaleBase, nc = c.Median / scaleCur, change = nc / nb - 1;
            double noise = Math.Sqrt(Math.Pow(b.Margin / b.Median, 2) + Math.Pow(c.Margin / c.Median, 2));
            bool regressed = change > threshold + noise;
            if (regressed) regressions++;
            Console.WriteLine($"{name,-60} {nb,12:G4} {nc,12:G4} {change,8:P1} {noise,7:P1}  {(regressed ? "REGRESSION" : "ok")}");
        }
        Console.WriteLine(regressions == 0 ? "\nno regression" : $"\n{regressions} regression(s)");
        return regressions == 0 ? 0 : 1;
    }

    /// The newest full JSON report under a results folder.
    public static string? Newest(string resultsDirectory)
    {
        var dir = Path.Combine(resultsDirectory, "benchmarkdotnet", "results");
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*RegressionBenchmarks*-report-full*.json").OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
    }

    private static double ProbeScale(Dictionary<string, (double Median, double Margin)> run, string path)
    {
        var probes = run.Where(kv => kv.Key.Contains("Probe", StringComparison.Ordinal)).Select(kv => kv.Value.Median).ToList();
        if (probes.Count == 0) throw new InvalidDataException($"{path}: no probe benchmarks (ProbeDgemm, ProbeRead) to normalise by.");
        return Math.Exp(probes.Average(Math.Log));
    }

    private static Dictionary<string, (double Median, double Margin)> Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var result = new Dictionary<string, (double, double)>();
        foreach (var b in doc.RootElement.GetProperty("Benchmarks").EnumerateArray())
        {
            var stats = b.GetProperty("Statistics");
            result[b.GetProperty("FullName").GetString()!] = (stats.GetProperty("Median").GetDouble(),
                stats.GetProperty("ConfidenceInterval").GetProperty("Margin").GetDouble());
        }
        return result;
    }
}
