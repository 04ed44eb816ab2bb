using System.Diagnostics;
using System.Text.Json;

namespace Pbgd.Tests.Reliability;

/// Reproducibility and crash recovery through the CLI in child processes: MKL's reproducibility mode must be
/// chosen before its first call, and a crash means a real SIGKILL.
public sealed class ProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-proc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string RunArgs = "hyperclean --dataset synthetic --train 2000 --val 400 --test 200 --log-every 10 --threads 1 --seed 7";

    // A fixed MKL code path (CNR) and one thread: bit-reproducible MKL results.
    private static Process Start(string arguments) =>
        Support.CliProcess.StartDraining(arguments, ("PBGD_MKL_CBWR", "COMPATIBLE"), ("MKL_NUM_THREADS", "1"));

    private static void RunToEnd(string arguments)
    {
        using var p = Start(arguments);
        Assert.True(p.WaitForExit(300_000), "the run did not finish in 5 minutes");
        Assert.Equal(0, p.ExitCode);
    }

    private static string[] FinalU(string outDir) =>
        File.ReadAllLines(Path.Combine(outDir, "weights.csv")).Skip(1).Select(l => l.Split(',')[1]).ToArray();

    [Fact]
    public void TwoRunsWithFixedSeedThreadsAndReproducibilityModeAreBitIdentical()
    {
        RunToEnd($"{RunArgs} --iterations 200 --out \"{_dir}/a\"");
        RunToEnd($"{RunArgs} --iterations 200 --out \"{_dir}/b\"");
        Assert.Equal(FinalU($"{_dir}/a"), FinalU($"{_dir}/b")); // round-trip ("R") text: equal strings ⇔ equal doubles
        using var summary = JsonDocument.Parse(File.ReadAllText($"{_dir}/a/summary.json"));
        Assert.Equal("Compatible", summary.RootElement.GetProperty("environment").GetProperty("mklReproducibility").GetString());
    }

    [Fact]
    public void KilledRunResumesToTheSameFinalIterates()
    {
        RunToEnd($"{RunArgs} --iterations 1500 --out \"{_dir}/full\"");

        string ckpt = Path.Combine(_dir, "ckpt");
        using (var victim = Start($"{RunArgs} --iterations 1500 --out \"{_dir}/killed\" --checkpoint \"{ckpt}\" --checkpoint-every 25"))
        {
            int reached = Support.RunFiles.WaitForCheckpoint(victim, ckpt, 200, TimeSpan.FromMinutes(3));
            Assert.False(victim.HasExited, "the run finished before it could be killed; make it longer");
            Assert.True(reached >= 200, $"no checkpoint past iteration 200 within 3 minutes (reached {reached})");
            victim.Kill(entireProcessTree: true); // SIGKILL
            victim.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(_dir, "killed", "weights.csv")), "the killed run cannot have finished");

        RunToEnd($"resume \"{ckpt}\"");
        Assert.Equal(FinalU($"{_dir}/full"), FinalU($"{_dir}/killed"));
    }
}
