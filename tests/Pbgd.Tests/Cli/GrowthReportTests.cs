using System.Globalization;
using System.Text.Json;

namespace Pbgd.Tests.Cli;

/// A cross-entropy run with a fixed step far beyond the derived one (--step 1e6 against ≈ 38) blows f + γg up in its first
/// v-step while every value stays finite; before, it ran to MaxIterations and exited 0 without a word. It now stops as
/// Growing, exits 3 naming --step, and writes the point that step started from (u0 and v0 = 0), with the gradient norm
/// it did not measure as null.
public sealed class GrowthReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-growth-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AStepFarTooLargeStopsAsGrowingAndWritesThePointBeforeIt()
    {
        string outDir = Path.Combine(_dir, "out");
        var (code, stdout, err) = Support.CliProcess.Run(
            $"hyperclean --dataset synthetic --loss cross-entropy --train 300 --val 80 --test 120 --iterations 40 --step 1e6 --threads 1 --out \"{outDir}\"",
            ("MKL_NUM_THREADS", "1"));
        Assert.True(code == 3, $"exit {code}: {err}");
        Assert.Contains("the step is far too large", err);
        Assert.Contains("--step", err);
        Assert.Contains("Growing after 0 iterations", stdout);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal("Growing", root.GetProperty("stopReason").GetString());
        Assert.Equal(0, root.GetProperty("iterations").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("gradientNorm").ValueKind);
        Assert.True(root.GetProperty("upperObjective").GetDouble() < 10); // log(10) at v = 0, not the blown-up value
        // model.csv holds v0 = 0, the point the growing v-step started from.
        var values = File.ReadLines(Path.Combine(outDir, "model.csv")).Skip(1)
            .SelectMany(line => line.Split(',').Skip(1)).Select(x => double.Parse(x, CultureInfo.InvariantCulture));
        Assert.All(values, x => Assert.Equal(0.0, x));
        // trajectory.csv's last row measures that point too: the test accuracy in summary.json, not the rejected point's.
        var rows = File.ReadAllLines(Path.Combine(outDir, "trajectory.csv"));
        var header = rows[0].Split(',');
        var last = rows[^1].Split(',');
        double accuracy = double.Parse(last[Array.IndexOf(header, "test_accuracy")], CultureInfo.InvariantCulture);
        Assert.Equal(root.GetProperty("testAccuracy").GetDouble(), accuracy, 12);
    }
}
