using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pbgd.Tests.Mpi;

/// <summary>
/// The faults of issue 15 under mpirun: the --out lock (rank 0 alone takes it, before any rank loads data, and a refusal
/// ends every rank with exit 2), sealed per-rank checkpoints and manifest (an edited one is refused naming the rank and
/// the field), the per-rank MKL check on resume, and SIGTERM to one rank (every rank stops at the same iteration, exit
/// 143, and the resume repeats the uninterrupted run).
/// </summary>
[Collection("mpi")]
public sealed class MpiFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-mpi-faults-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Small = "--dataset synthetic --train 1300 --val 300 --test 200 --iterations 8 --threads 1 --seed 3 --checkpoint-every 4";

    [MpiFact]
    public void ASecondWriterIntoOutIsRefusedOnEveryRankBeforeAnyDataIsLoaded()
    {
        string outDir = Path.Combine(_dir, "out"), checkpoints = Path.Combine(_dir, "ckpt");
        Directory.CreateDirectory(outDir);
        // Another writer holds the lock (an exclusive flock, as a running pbgd does).
        using (new FileStream(Path.Combine(outDir, ".pbgd.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var (code, output, err) = MpiProcess.Run(2, $"hyperclean --mpi {Small} --checkpoint \"{checkpoints}\" --out \"{outDir}\"");
            Assert.True(code == 2, $"exit {code}: {output} {err}");
            Assert.Contains("rank 0: error: --out", err);
            Assert.Contains("another pbgd run is writing into this folder", err);
            // No rank got as far as the data: nothing printed about them, no checkpoint folder content, no outputs.
            Assert.DoesNotContain("data:", output);
            Assert.False(Directory.Exists(Path.Combine(checkpoints, "ranks")), "a rank went on to the run");
            Assert.Equal([".pbgd.lock"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
        }
        // Free again: the same job runs, and only rank 0 wrote into --out (no staging folder or probe of another rank).
        var ok = MpiProcess.Run(2, $"hyperclean --mpi {Small} --out \"{outDir}\"");
        Assert.True(ok.Code == 0, ok.Err);
        Assert.True(File.Exists(Path.Combine(outDir, "summary.json")));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(outDir), e => Path.GetFileName(e).StartsWith(".pbgd-", StringComparison.Ordinal));
    }

    [MpiFact]
    public void AnEditedRankCheckpointOrManifestIsRefusedOnResumeNamingTheRankAndTheField()
    {
        string checkpoints = Path.Combine(_dir, "ckpt");
        var run = MpiProcess.Run(2, $"hyperclean --mpi {Small} --checkpoint \"{checkpoints}\" --out \"{Path.Combine(_dir, "out")}\"");
        Assert.True(run.Code == 0, run.Err);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(checkpoints, "mpi.json")))!;
        Assert.NotNull(manifest["contentHash"]);
        long generation = manifest["generation"]!.GetValue<long>();

        // Rank 1's file: one value of u changed.
        string rankFile = Path.Combine(checkpoints, "ranks", $"checkpoint.{generation % 2}.rank1.json");
        string original = File.ReadAllText(rankFile);
        var edited = JsonNode.Parse(original)!;
        Assert.NotNull(edited["contentHash"]);
        var u = edited["u"]!.AsArray();
        u[0] = u[0]!.GetValue<double>() + 0.5;
        File.WriteAllText(rankFile, edited.ToJsonString());
        var refused = MpiProcess.Run(2, $"resume \"{checkpoints}\"");
        Assert.True(refused.Code == 2, $"exit {refused.Code}: {refused.Out} {refused.Err}");
        Assert.Contains("rank 1: error: rank 1's checkpoint:", refused.Err);
        Assert.Contains("checkpoint's u was changed", refused.Err);
        File.WriteAllText(rankFile, original);

        // The manifest: its generation changed.
        string manifestPath = Path.Combine(checkpoints, "mpi.json");
        manifest["generation"] = generation + 1;
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        var manifestRefused = MpiProcess.Run(2, $"resume \"{checkpoints}\"");
        Assert.True(manifestRefused.Code == 2, $"exit {manifestRefused.Code}: {manifestRefused.Out} {manifestRefused.Err}");
        Assert.Contains("mpi.json: generation was changed", manifestRefused.Err);
    }

    [MpiFact]
    public void AResumeUnderAnotherMklThreadCountIsRefusedByEveryRank()
    {
        // No --threads: MKL's own count (MKL_NUM_THREADS=1 in every rank) is the run's.
        const string args = "--dataset synthetic --train 1300 --val 300 --test 200 --iterations 40 --seed 3 --checkpoint-every 2";
        string checkpoints = Path.Combine(_dir, "ckpt");
        using (var job = MpiProcess.Start(2, $"hyperclean --mpi {args} --checkpoint \"{checkpoints}\" --out \"{Path.Combine(_dir, "out")}\""))
        {
            _ = job.StandardOutput.ReadToEndAsync();
            var stderr = job.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (MpiRunTests.Iteration(checkpoints) < 2 && !job.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120)) Thread.Sleep(20);
            foreach (int rank in MpiRunTests.Children(job.Id)) Process.Start("kill", $"-9 {rank}")!.WaitForExit();
            Assert.True(job.WaitForExit(60_000));
            Assert.True(MpiRunTests.Iteration(checkpoints) >= 2, stderr.Result);
        }
        var refused = MpiProcess.Run(2, $"resume \"{checkpoints}\"", ("MKL_NUM_THREADS", "2"));
        Assert.True(refused.Code == 2, $"exit {refused.Code}: {refused.Out} {refused.Err}");
        Assert.Contains("error: MKL would compute with 2 threads now; the run had 1", refused.Err);
        Assert.DoesNotContain("resuming at iteration", refused.Out);
    }

    [MpiFact]
    public void SigtermToOneRankStopsEveryRankAtTheSameIterationWithExitCode143AndTheResumeRepeatsTheRun()
    {
        const string args = "--dataset synthetic --train 8000 --val 500 --test 500 --iterations 60 --threads 1 --seed 2 --checkpoint-every 4";
        string whole = Path.Combine(_dir, "whole"), cut = Path.Combine(_dir, "cut"), checkpoints = Path.Combine(_dir, "ckpt");
        var uninterrupted = MpiProcess.Run(2, $"hyperclean --mpi {args} --out \"{whole}\"");
        Assert.True(uninterrupted.Code == 0, uninterrupted.Err);

        using (var job = MpiProcess.Start(2, $"hyperclean --mpi {args} --checkpoint \"{checkpoints}\" --out \"{cut}\""))
        {
            var stderr = job.StandardError.ReadToEndAsync();
            _ = job.StandardOutput.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (MpiRunTests.Iteration(checkpoints) < 8)
            {
                if (job.HasExited) Assert.Fail("the run finished before it could be signalled: " + stderr.Result);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "no checkpoint past iteration 8 within 2 minutes");
                Thread.Sleep(20);
            }
            var ranks = MpiRunTests.Children(job.Id);
            Assert.Equal(2, ranks.Length);
            // Only rank 1's process gets the signal: the decision to stop is the ranks' together, and so is the code.
            Process.Start("kill", $"-TERM {ranks[^1]}")!.WaitForExit();
            Assert.True(job.WaitForExit(120_000), "the job did not stop within 2 minutes of SIGTERM");
            Assert.True(job.ExitCode == 143, $"exit {job.ExitCode}: {stderr.Result}");
            Assert.Contains("rank 1: SIGTERM: stopping after this iteration", stderr.Result);
        }
        Assert.True(File.Exists(Path.Combine(cut, "summary.json")), "the stopped run wrote no outputs");
        var resumed = MpiProcess.Run(2, $"resume \"{checkpoints}\"");
        Assert.True(resumed.Code == 0, resumed.Err);
        MpiRunTests.AssertSameOutputs(whole, cut, "resumed after SIGTERM to one rank");
    }
}
