using System.Diagnostics;
using System.Text.Json;

namespace Pbgd.Tests.Reliability;

/// Reproducibility and crash recovery through the CLI in child processes: MKL's reproducibility mode must be
/// chosen before its first call, a crash means a real SIGKILL and Ctrl+C a real SIGINT.
[Trait("Speed", "Slow")]
public sealed class ProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-proc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string RunArgs = "hyperclean --dataset synthetic --train 2000 --val 400 --test 200 --log-every 10 --threads 1 --seed 7";

    private static Process Start(string arguments)
    {
        // A fixed MKL code path (CNR) and one thread: bit-reproducible MKL results.
        var p = Support.CliProcess.Start(arguments, ("PBGD_MKL_CBWR", "COMPATIBLE"), ("MKL_NUM_THREADS", "1"));
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

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

    // Waits until the run's checkpoint is past iteration 200 (the run must still be going).
    private static void AwaitCheckpoint(Process victim, string ckpt)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        int reached = 0;
        while (reached < 200 && DateTime.UtcNow < deadline && !victim.HasExited)
        {
            Thread.Sleep(50);
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ckpt, "checkpoint.json")));
                reached = doc.RootElement.GetProperty("iteration").GetInt32();
            }
            catch (Exception e) when (e is IOException or JsonException) { } // not written yet (never half-written: atomic rename)
        }
        Assert.False(victim.HasExited, "the run finished before it could be stopped; make it longer");
        Assert.True(reached >= 200, $"no checkpoint past iteration 200 within 3 minutes (reached {reached})");
    }

    [Fact]
    public void KilledRunResumesToTheSameFinalIterates()
    {
        RunToEnd($"{RunArgs} --iterations 1500 --out \"{_dir}/full\"");

        string ckpt = Path.Combine(_dir, "ckpt");
        using (var victim = Start($"{RunArgs} --iterations 1500 --out \"{_dir}/killed\" --checkpoint \"{ckpt}\" --checkpoint-every 25"))
        {
            AwaitCheckpoint(victim, ckpt);
            victim.Kill(entireProcessTree: true); // SIGKILL
            victim.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(_dir, "killed", "weights.csv")), "the killed run cannot have finished");

        RunToEnd($"resume \"{ckpt}\"");
        Assert.Equal(FinalU($"{_dir}/full"), FinalU($"{_dir}/killed"));
    }

    [Fact]
    public void CtrlCExitsWith130AndTheRunResumesToTheSameFinalIterates()
    {
        RunToEnd($"{RunArgs} --iterations 1500 --out \"{_dir}/full\"");

        string ckpt = Path.Combine(_dir, "ckpt");
        using (var victim = Start($"{RunArgs} --iterations 1500 --out \"{_dir}/interrupted\" --checkpoint \"{ckpt}\" --checkpoint-every 25"))
        {
            AwaitCheckpoint(victim, ckpt);
            using (var signal = Process.Start("kill", $"-INT {victim.Id}")) signal.WaitForExit(); // what Ctrl+C sends
            Assert.True(victim.WaitForExit(60_000), "the run did not stop within a minute of SIGINT");
            Assert.Equal(130, victim.ExitCode);
        }
        // The interrupted run wrote its outputs as of where it stopped, and a checkpoint that is not marked finished.
        using (var summary = JsonDocument.Parse(File.ReadAllText($"{_dir}/interrupted/summary.json")))
        {
            Assert.Equal("Cancelled", summary.RootElement.GetProperty("stopReason").GetString());
            Assert.InRange(summary.RootElement.GetProperty("iterations").GetInt32(), 200, 1499);
        }
        Assert.NotEqual(FinalU($"{_dir}/full"), FinalU($"{_dir}/interrupted"));

        RunToEnd($"resume \"{ckpt}\"");
        Assert.Equal(FinalU($"{_dir}/full"), FinalU($"{_dir}/interrupted"));
    }
}
