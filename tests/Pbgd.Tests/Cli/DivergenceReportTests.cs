using System.Text.Json;

namespace Pbgd.Tests.Cli;

/// A run whose first point is not finite (γ = 1e300 overflows the gradient) exits 3 saying there is no finite state,
/// and its summary.json writes null, never "Infinity" or "NaN", for the values that are not finite.
public sealed class DivergenceReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-divergence-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ARunDivergingAtItsFirstPointSaysSoAndWritesNoInfinity()
    {
        string outDir = Path.Combine(_dir, "out");
        var (code, _, err) = Support.CliProcess.Run(
            $"hyperclean --dataset synthetic --train 300 --val 80 --test 120 --iterations 20 --gamma 1e300 --threads 1 --out \"{outDir}\"",
            ("MKL_NUM_THREADS", "1"));
        Assert.True(code == 3, err);
        Assert.Contains("diverged at its first point", err);
        Assert.DoesNotContain("the outputs hold the last finite state", err);
        string text = File.ReadAllText(Path.Combine(outDir, "summary.json"));
        Assert.DoesNotContain("Infinity", text);
        Assert.DoesNotContain("NaN", text);
        using var summary = JsonDocument.Parse(text);
        Assert.Equal("Diverged", summary.RootElement.GetProperty("stopReason").GetString());
        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("gradientNorm").ValueKind);
    }
}
