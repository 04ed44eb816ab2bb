using System.Diagnostics;
using System.Text.Json;
using Pbgd.Tests.Support;

namespace Pbgd.Tests.Reliability;

/// Real signals to the CLI in a child process: SIGINT and SIGTERM both stop the run after the iteration under way,
/// write the outputs so far and a final checkpoint, and exit with 128 + the signal's number; `pbgd resume` then ends
/// where the uninterrupted run ends, to the bit.
public sealed class SignalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-signal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string RunArgs = "hyperclean --dataset synthetic --train 600 --val 150 --test 150 --iterations 3000 --threads 1 --seed 7";

    private static Process Start(string arguments) =>
        CliProcess.StartDraining(arguments, ("PBGD_MKL_CBWR", "COMPATIBLE"), ("MKL_NUM_THREADS", "1"), ("KMP_BLOCKTIME", "0"));

    private static int RunToEnd(string arguments)
    {
        using var p = Start(arguments);
        Assert.True(p.WaitForExit(300_000), "the run did not finish in 5 minutes");
        return p.ExitCode;
    }

    [Fact]
    public void SigintAndSigtermStopCleanlyAndResumeToTheUninterruptedRunBitForBit()
    {
        // The same checkpoint settings as the interrupted runs: summary.json records them.
        Assert.Equal(0, RunToEnd($"{RunArgs} --out \"{_dir}/full\" --checkpoint \"{_dir}/ckpt-full\" --checkpoint-every 20"));
        foreach (var (signal, code, at) in new[] { ("INT", 130, 120), ("TERM", 143, 260) })
        {
            string ckpt = Path.Combine(_dir, $"ckpt-{signal}"), outDir = Path.Combine(_dir, signal);
            using (var victim = Start($"{RunArgs} --out \"{outDir}\" --checkpoint \"{ckpt}\" --checkpoint-every 20"))
            {
                int reached = RunFiles.WaitForCheckpoint(victim, ckpt, at, TimeSpan.FromMinutes(3));
                Assert.False(victim.HasExited, "the run finished before it could be signalled; make it longer");
                Assert.True(reached >= at, $"no checkpoint past iteration {at} within 3 minutes (reached {reached})");
                RunFiles.Signal(victim, signal);
                Assert.True(victim.WaitForExit(120_000), $"SIGINT/SIGTERM did not stop the run within 2 minutes");
                Assert.Equal(code, victim.ExitCode);
            }
            // The interrupted run wrote its outputs so far, and a checkpoint to continue from.
            using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))))
                Assert.Equal("Cancelled", summary.RootElement.GetProperty("stopReason").GetString());
            Assert.True(File.Exists(Path.Combine(outDir, "model.csv")));
            using (var checkpoint = JsonDocument.Parse(File.ReadAllText(Path.Combine(ckpt, "checkpoint.json"))))
                Assert.True(checkpoint.RootElement.GetProperty("iteration").GetInt32() > at);

            Assert.Equal(0, RunToEnd($"resume \"{ckpt}\""));
            RunFiles.AssertSameResults(Path.Combine(_dir, "full"), outDir);
        }
    }
}
