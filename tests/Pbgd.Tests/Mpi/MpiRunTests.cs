using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pbgd.Data;
using Pbgd.Distributed;
using Pbgd.Tests.Data;

namespace Pbgd.Tests.Mpi;

/// <summary>
/// `mpirun -np K pbgd hyperclean --mpi …` in child processes against the single-process run of the same options: for K =
/// 1, 2, 3 every value in summary.json, trajectory.csv (but the clock) and the bytes of weights.csv and model.csv are the
/// same. Also: more ranks than parts refused, bad input seen by one rank, a rank killed with SIGKILL (the job ends; a
/// resume with the same K repeats the uninterrupted run), and the MPI library's report and absence.
/// </summary>
[Collection("mpi")] // one mpirun job at a time: they oversubscribe the 2 cores already
public sealed class MpiRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-mpi-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Synthetic = "--dataset synthetic --train 1300 --val 300 --test 200 --iterations 8 --threads 1 --seed 3";

    [MpiTheory]
    [InlineData("pbgd-b-auto", "")]
    [InlineData("pbgd-b-cg", "--exact-solver cg")]
    [InlineData("pbgd-j-iterative", "--loss cross-entropy --algo pbgd-j --oracle iterative --oracle-steps 2")]
    [InlineData("pbgd-b-lbfgs", "--upper-step lbfgs")]
    [InlineData("pbgd-b-bb", "--upper-step bb")]
    [InlineData("pbgd-j-lbfgs-oracle", "--loss cross-entropy --algo pbgd-j --upper-step lbfgs --oracle lbfgs")]
    public void SyntheticRunsOnOneTwoAndThreeRanksEqualTheSingleProcessRun(string name, string options)
    {
        string single = Path.Combine(_dir, name + "-single");
        var alone = MpiProcess.RunAlone($"hyperclean {Synthetic} {options} --out \"{single}\"");
        Assert.True(alone.Code == 0, alone.Err);
        foreach (int k in new[] { 1, 2, 3 })
        {
            string outDir = Path.Combine(_dir, $"{name}-{k}");
            var run = MpiProcess.Run(k, $"hyperclean --mpi {Synthetic} {options} --out \"{outDir}\"");
            Assert.True(run.Code == 0, $"K = {k}: {run.Err}");
            AssertSameOutputs(single, outDir, $"{name}, K = {k}");
        }
    }

    [MpiFact]
    public void TheFastProtocolWithHeldOutSelectionOnTwoAndThreeRanksEqualsTheSingleProcessRun()
    {
        // --protocol fast: cross-entropy, PBGD-B with the L-BFGS upper step, the inexact L-BFGS v-step and oracle, 20 % of
        // the validation set held out. Without a ridge the held-out loss is smallest at iteration 1 here, so the outputs
        // hold an earlier iterate than the last: each rank's share of that u is what is gathered.
        string args = $"{Synthetic} --protocol fast --reg 0";
        string single = Path.Combine(_dir, "fast-single");
        var alone = MpiProcess.RunAlone($"hyperclean {args} --out \"{single}\"");
        Assert.True(alone.Code == 0, alone.Err);
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(single, "summary.json"))))
        {
            var holdout = summary.RootElement.GetProperty("holdout");
            Assert.True(holdout.GetProperty("selected").GetProperty("iteration").GetInt32() < holdout.GetProperty("last").GetProperty("iteration").GetInt32(),
                "the selected iterate is the last: the test would not tell the selected u from the last");
        }
        foreach (int k in new[] { 2, 3 })
        {
            string outDir = Path.Combine(_dir, $"fast-{k}");
            var run = MpiProcess.Run(k, $"hyperclean --mpi {args} --out \"{outDir}\"");
            Assert.True(run.Code == 0, $"K = {k}: {run.Err}");
            AssertSameOutputs(single, outDir, $"fast, K = {k}");
        }
    }

    [MpiFact("mnist")]
    public void AnMnistSubsetOnOneTwoAndThreeRanksEqualsTheSingleProcessRun()
    {
        // auto on MNIST: the normal equations are rejected (rank 644 of 785), conjugate gradients solve.
        string args = $"--dataset mnist --data-dir \"{Path.GetDirectoryName(RealDatasetFactAttribute.Folder("mnist"))}\" --train 2000 --val 1000 --test 1000 --iterations 4 --threads 1";
        string single = Path.Combine(_dir, "mnist-single");
        var alone = MpiProcess.RunAlone($"hyperclean {args} --out \"{single}\"");
        Assert.True(alone.Code == 0, alone.Err);
        foreach (int k in new[] { 1, 2, 3 })
        {
            string outDir = Path.Combine(_dir, $"mnist-{k}");
            var run = MpiProcess.Run(k, $"hyperclean --mpi {args} --out \"{outDir}\"");
            Assert.True(run.Code == 0, $"K = {k}: {run.Err}");
            AssertSameOutputs(single, outDir, $"MNIST, K = {k}");
        }
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(single, "summary.json")));
        Assert.True(summary.RootElement.GetProperty("exactSolves").GetProperty("cg").GetInt64() > 0);
    }

    [MpiFact]
    public void MoreRanksThanTrainingPartsAreRefusedWithExitCodeTwo()
    {
        var run = MpiProcess.Run(3, $"hyperclean --mpi --dataset synthetic --train 600 --iterations 1 --out \"{_dir}/refused\"");
        Assert.Equal(2, run.Code);
        Assert.Contains("--train: 3 processes cannot share 600 training rows", run.Err);
        Assert.Contains("run with at most 2 processes", run.Err);
    }

    [MpiFact]
    public void AMalformedLineInOneRanksRowsStopsEveryRankWithExitCodeTwoNamingFileAndLine()
    {
        // A LIBSVM training file of 1 400 samples (no comments, one sample a line); the sample that becomes training row
        // 900 — held by rank 2 of 3 — gets a value that is not a number. Only rank 2 parses it.
        var random = new Random(5);
        var lines = Enumerable.Range(0, 1400).Select(i =>
            $"{random.Next(3)} " + string.Join(' ', Enumerable.Range(1, 6).Select(j => FormattableString.Invariant($"{j}:{random.Next(1, 200)}")))).ToArray();
        var spec = new PreparationSpec(1000, 200, 200, 0.5, FeatureScaling.Divide255, Seed: 1, BiasColumn: true);
        int sample = ShardedPreparation.Plan(1400, true, true, spec, 3, SingleProcess.Instance).TrainRows[900];
        lines[sample] = lines[sample].Replace("3:", "3:x");
        string path = Path.Combine(_dir, "train.svm");
        File.WriteAllLines(path, lines);
        var run = MpiProcess.Run(3, $"hyperclean --mpi --dataset libsvm:{path} --train 1000 --val 200 --test 200 --iterations 2 --out \"{_dir}/bad\"");
        Assert.Equal(2, run.Code);
        Assert.Contains($"rank 2: error: {path}", run.Err);
        Assert.Contains($"line {sample + 1}", run.Err);
        Assert.DoesNotContain("rank 0: error", run.Err);
        Assert.DoesNotContain("rank 1: error", run.Err);
        // The same file in one process fails the same way.
        var alone = MpiProcess.RunAlone($"hyperclean --dataset libsvm:{path} --train 1000 --val 200 --test 200 --iterations 2 --out \"{_dir}/bad1\"");
        Assert.Equal(2, alone.Code);
        Assert.Contains($"line {sample + 1}", alone.Err);
    }

    [MpiFact]
    public void AKilledRankEndsTheJobAndAResumeOnTheSameRanksRepeatsTheUninterruptedRun()
    {
        // With a held-out set: the quality trace and the selection ride in each rank's checkpoint.
        const string args = "--dataset synthetic --train 8000 --val 500 --test 500 --iterations 60 --threads 1 --seed 2 --checkpoint-every 4 --holdout 0.2";
        string whole = Path.Combine(_dir, "whole"), cut = Path.Combine(_dir, "cut"), checkpoints = Path.Combine(_dir, "ckpt");
        var uninterrupted = MpiProcess.Run(2, $"hyperclean --mpi {args} --checkpoint \"{Path.Combine(_dir, "ckpt-whole")}\" --out \"{whole}\"");
        Assert.True(uninterrupted.Code == 0, uninterrupted.Err);

        using (var job = MpiProcess.Start(2, $"hyperclean --mpi {args} --checkpoint \"{checkpoints}\" --out \"{cut}\""))
        {
            var stderr = job.StandardError.ReadToEndAsync();
            _ = job.StandardOutput.ReadToEndAsync();
            // Wait for a checkpoint past iteration 16, then SIGKILL rank 1's process.
            var clock = Stopwatch.StartNew();
            while (Iteration(checkpoints) < 16)
            {
                if (job.HasExited) Assert.Fail("the run finished before it could be killed: " + stderr.Result);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "no checkpoint past iteration 16 within 2 minutes");
                Thread.Sleep(20);
            }
            int killedAt = Iteration(checkpoints);
            var ranks = Children(job.Id);
            Assert.True(ranks.Length == 2, $"mpirun {job.Id} (exited: {job.HasExited}) has children [{string.Join(", ", ranks)}] at iteration {killedAt}");
            Process.Start("kill", $"-9 {ranks[^1]}")!.WaitForExit();
            Assert.True(job.WaitForExit(60_000), "the job kept running (or hung) a minute after one rank was killed");
            Assert.NotEqual(0, job.ExitCode);
            Assert.True(killedAt < 60, $"killed at iteration {killedAt}");
        }

        var wrongRanks = MpiProcess.Run(3, $"resume \"{checkpoints}\"");
        Assert.True(wrongRanks.Code == 2, $"exit {wrongRanks.Code}: {wrongRanks.Out} {wrongRanks.Err}");
        Assert.Contains("mpirun -np 2 pbgd resume", wrongRanks.Err);

        var resumed = MpiProcess.Run(2, $"resume \"{checkpoints}\"");
        Assert.True(resumed.Code == 0, resumed.Err);
        AssertSameOutputs(whole, cut, "resumed after a SIGKILL");
    }

    [MpiFact]
    public void InfoReportsTheMpiLibraryAndItsImplementation()
    {
        var (code, output, err) = Support.CliProcess.Run("info --mpi");
        Assert.True(code == 0, err);
        Assert.Contains("MPI:              Open MPI", output);
        Assert.Contains("implementation:   OpenMpi", output);
        Assert.Contains("libmpi.so.40", output);
    }

    [Fact]
    public void WithoutAnMpiLibraryTheRunStopsWithExitCodeTwoAndTheInstallCommand()
    {
        var (code, _, err) = Support.CliProcess.Run($"hyperclean --mpi --dataset synthetic --train 300 --iterations 1 --out \"{_dir}/none\"",
            ("PBGD_MPI_PATH", Path.Combine(_dir, "no-such-libmpi.so")));
        Assert.Equal(2, code);
        Assert.Contains("--mpi: no MPI library could be loaded", err);
        Assert.Contains("bash native/install-deps.sh", err);
    }

    [MpiFact]
    public void WithoutMpirunTheRunIsTheOrdinaryOne()
    {
        var (code, _, err) = Support.CliProcess.Run($"hyperclean --mpi --dataset synthetic --train 300 --iterations 1 --out \"{_dir}/alone\"");
        Assert.True(code == 0, err);
        Assert.Contains("--mpi without mpirun: running as one process", err);
        Assert.True(File.Exists(Path.Combine(_dir, "alone", "weights.csv")));
    }

    // Outputs of two runs: model.csv and weights.csv byte for byte; summary.json and trajectory.csv equal but for the
    // clock and the machine facts.
    internal static void AssertSameOutputs(string expected, string actual, string what)
    {
        foreach (var file in new[] { "model.csv", "weights.csv" })
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{what}: {file} differs");
        var a = Values(Path.Combine(expected, "summary.json"));
        var b = Values(Path.Combine(actual, "summary.json"));
        Assert.Equal(a, b);
        var ta = File.ReadAllLines(Path.Combine(expected, "trajectory.csv")).Select(WithoutSeconds).ToArray();
        var tb = File.ReadAllLines(Path.Combine(actual, "trajectory.csv")).Select(WithoutSeconds).ToArray();
        Assert.Equal(ta.Length, tb.Length);
        for (int i = 0; i < ta.Length; i++) Assert.True(ta[i] == tb[i], $"{what}: trajectory line {i}\n{ta[0]}\n{ta[i]}\n{tb[i]}");
    }

    // Every summary value but the clock and the machine.
    private static SortedDictionary<string, string> Values(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var values = new SortedDictionary<string, string>();
        foreach (var p in json.RootElement.EnumerateObject())
            if (p.Name is not ("seconds" or "environment")) values[p.Name] = p.Value.GetRawText();
        return values;
    }

    private static string WithoutSeconds(string line)
    {
        var fields = line.Split(',');
        return string.Join(',', fields.Where((_, i) => i != 1)); // iteration, seconds, …
    }

    internal static int Iteration(string checkpoints)
    {
        string manifest = Path.Combine(checkpoints, "mpi.json");
        if (!File.Exists(manifest)) return -1;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(manifest));
            return json.RootElement.GetProperty("iteration").GetInt32();
        }
        catch (Exception e) when (e is IOException or JsonException) { return -1; }
    }

    internal static int[] Children(int pid)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int child)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid) found.Add(child);
            }
            catch (IOException) { }
        }
        return [.. found.Order()];
    }
}
