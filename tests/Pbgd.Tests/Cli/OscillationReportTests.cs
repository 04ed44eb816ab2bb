using System.Text.Json;

namespace Pbgd.Tests.Cli;

/// A run whose L_γ keeps rising with γ fixed (a step 100 times the derived one) says so: the result line, a warning on
/// standard error and summary.json's oscillated flag; a well-behaved run records false.
[Trait("Speed", "Slow")]
public sealed class OscillationReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-oscillation-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (JsonElement Summary, string Out, string Err) Run(string stepScale)
    {
        string outDir = Path.Combine(_dir, stepScale);
        var (code, stdout, err) = Support.CliProcess.Run(
            $"hyperclean --dataset synthetic --train 300 --val 80 --test 120 --iterations 40 --step-scale {stepScale} --threads 1 --out \"{outDir}\"",
            ("MKL_NUM_THREADS", "1"));
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        return (doc.RootElement.Clone(), stdout, err);
    }

    [Fact]
    public void AnOscillatingRunIsReportedEverywhere()
    {
        var (summary, stdout, err) = Run("100");
        Assert.True(summary.GetProperty("oscillated").GetBoolean());
        Assert.True(summary.GetProperty("longestIncreaseStreak").GetInt32() >= 3);
        Assert.True(summary.GetProperty("penaltyIncreases").GetInt32() >= summary.GetProperty("longestIncreaseStreak").GetInt32());
        Assert.Contains("with γ fixed (up to", stdout);
        Assert.Contains("warning: L_γ rose at", err);

        var (calm, calmOut, calmErr) = Run("1");
        Assert.False(calm.GetProperty("oscillated").GetBoolean());
        Assert.DoesNotContain("L_γ rose", calmOut + calmErr);
    }
}
