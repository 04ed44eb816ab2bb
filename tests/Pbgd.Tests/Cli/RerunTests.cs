using System.Text.Json;

namespace Pbgd.Tests.Cli;

/// `pbgd rerun` in child processes (MKL's reproducibility mode can only be chosen before MKL loads, once per process):
/// it pins the mode the summary recorded, whatever PBGD_MKL_CBWR says, and so repeats the run to the bit; when the run
/// pinned no mode it warns that the rerun may differ.
[Trait("Speed", "Slow")]
public sealed class RerunTests : IDisposable
{
    private const string Run = "hyperclean --dataset synthetic --train 300 --val 80 --test 120 --iterations 20 --threads 1";
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-rerun-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (string Out, string Err) Pbgd(string arguments, string? cbwr)
    {
        // An empty value counts as unset (the resolver ignores blank values).
        var (code, stdout, err) = Support.CliProcess.Run(arguments, ("MKL_NUM_THREADS", "1"), ("PBGD_MKL_CBWR", cbwr ?? ""));
        Assert.True(code == 0, err);
        return (stdout, err);
    }

    private static string Mode(string dir)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        return summary.RootElement.GetProperty("environment").GetProperty("mklReproducibility").GetString()!;
    }

    [Fact]
    public void TheRecordedModeIsReappliedOverTheVariable()
    {
        // Under AUTO this run's weights differ from COMPATIBLE's in the last bits on this project's AMD machines (checked
        // by hand), so the equality below needs the recorded mode.
        string original = Path.Combine(_dir, "compatible"), again = Path.Combine(_dir, "again");
        Pbgd($"{Run} --out \"{original}\"", "COMPATIBLE");
        Assert.Equal("Compatible", Mode(original));

        var (_, err) = Pbgd($"rerun \"{Path.Combine(original, "summary.json")}\" --out \"{again}\"", "AUTO");
        Assert.Contains("note: MKL's reproducibility mode is Compatible, as the run recorded; PBGD_MKL_CBWR=AUTO is not used by rerun.", err);
        Assert.Equal("Compatible", Mode(again));
        Assert.Equal(File.ReadAllText(Path.Combine(original, "weights.csv")), File.ReadAllText(Path.Combine(again, "weights.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(original, "model.csv")), File.ReadAllText(Path.Combine(again, "model.csv")));
    }

    [Fact]
    public void ARunThatPinnedNoModeGetsAWarningWhenTheVariablePinsOne()
    {
        string original = Path.Combine(_dir, "unpinned"), again = Path.Combine(_dir, "again");
        Pbgd($"{Run} --out \"{original}\"", null);
        string mode = Mode(original);
        var (_, err) = Pbgd($"rerun \"{Path.Combine(original, "summary.json")}\" --out \"{again}\"", "AUTO");
        if (mode is "BranchOff" or "Off")
            Assert.Contains($"warning: the original run pinned no MKL reproducibility mode ({mode}); PBGD_MKL_CBWR=AUTO pins one now", err);
        else
            Assert.Contains($"note: MKL's reproducibility mode is {mode}, as the run recorded", err); // MKL itself reported a branch
    }
}
