using System.Globalization;
using System.Text.Json;
using Pbgd.Experiments;
using Pbgd.Experiments.Setup;

namespace Pbgd.Tests.Cli;

/// `hyperclean --algo` runs any of the five solvers through the one solver contract, in a child process, and its
/// outputs equal the library's run of the same configuration to the bit.
[Trait("Speed", "Slow")]
public sealed class AnySolverCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-algo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("pbgd-j", "PBGD-J")]
    [InlineData("rxgf", "RXGF")]
    [InlineData("f2sa", "F2SA")]
    [InlineData("bome", "BOME")]
    public void HypercleanRunsTheChosenSolverAsTheLibraryDoes(string algo, string name)
    {
        string outDir = Path.Combine(_dir, algo);
        var (code, _, err) = Support.CliProcess.Run(
            $"hyperclean --algo {algo} --dataset synthetic --train 150 --val 50 --test 60 --iterations 12 --log-every 4 --threads 1 --seed 2 --out \"{outDir}\"",
            ("MKL_NUM_THREADS", "1"), ("PBGD_MKL_CBWR", Pbgd.Native.MklLibrary.Reproducibility.ToString().ToUpperInvariant()));
        Assert.True(code == 0, err);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal(name, summary.RootElement.GetProperty("algorithm").GetString());
        Assert.Equal(12, summary.RootElement.GetProperty("iterations").GetInt32());
        var counts = summary.RootElement.GetProperty("counts");
        Assert.Equal(12, counts.GetProperty("upperSteps").GetInt64());
        // PBGD-J measures 13 points (no line search); F²SA and BOME evaluate once per step; RXGF measures 13 points and
        // evaluates each line-search trial: one per step plus one per backtrack.
        long expected = algo switch
        {
            "pbgd-j" => 13,
            "rxgf" => 13 + 12 + counts.GetProperty("backtracks").GetInt64(),
            _ => 12,
        };
        Assert.Equal(expected, counts.GetProperty("evaluations").GetInt64());

        var config = HyperCleaningConfig.Default with
        {
            Algorithm = BilevelAlgorithms.Parse(algo), Dataset = "synthetic", Train = 150, Validation = 50, Test = 60, Iterations = 12,
            LogEvery = 4, Threads = 1, Seed = 2,
        };
        var report = HyperCleaningExperiment.Run(config, HyperCleaningExperiment.Synthetic(config));
        var weights = File.ReadAllLines(Path.Combine(outDir, "weights.csv"));
        for (int i = 0; i < 150; i++)
            Assert.Equal(report.Result.U[i], double.Parse(weights[i + 1].Split(',')[1], CultureInfo.InvariantCulture));
        Assert.Equal(report.Result.Final.Upper, summary.RootElement.GetProperty("upperObjective").GetDouble());
    }

    [Theory]
    [InlineData("pbgd-b", "lbfgs")]
    [InlineData("pbgd-j", "bb")]
    public void ALineSearchOnTheCrossEntropyModelSolvesItsInnerProblemsToTolerance(string algo, string rule)
    {
        // No exact lower level: --upper-step lbfgs|bb switches the default iterative oracle to the L-BFGS one, and the outputs
        // (u, the work counts in summary.json and trajectory.csv) equal the library's run of the same configuration.
        string outDir = Path.Combine(_dir, $"ce-{algo}-{rule}");
        var (code, _, err) = Support.CliProcess.Run(
            $"hyperclean --loss cross-entropy --algo {algo} --upper-step {rule} --inner-tolerance 0.3 --dataset synthetic --train 150 --val 50 --test 60 --iterations 6 --threads 1 --seed 2 --out \"{outDir}\"",
            ("MKL_NUM_THREADS", "1"), ("PBGD_MKL_CBWR", Pbgd.Native.MklLibrary.Reproducibility.ToString().ToUpperInvariant()));
        Assert.True(code == 0, err);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        Assert.StartsWith("lbfgs(", root.GetProperty("oracle").GetString());
        Assert.Equal("lbfgs", root.GetProperty("options").GetProperty("oracle").GetString());

        var config = HyperCleaningConfig.Default with
        {
            Loss = HyperCleaningLoss.CrossEntropy, BiasFeature = false, Oracle = "lbfgs", Algorithm = BilevelAlgorithms.Parse(algo),
            UpperStep = Pbgd.Solvers.UpperStepRules.Parse(rule), InnerToleranceFactor = 0.3, Dataset = "synthetic", Train = 150, Validation = 50,
            Test = 60, Iterations = 6, Threads = 1, Seed = 2,
        };
        var report = HyperCleaningExperiment.Run(config, HyperCleaningExperiment.Synthetic(config));
        var counts = report.Result.Counts;
        Assert.True(counts.InnerSteps > counts.Evaluations && counts.Evaluations >= 6);
        var written = root.GetProperty("counts");
        Assert.Equal(counts.Evaluations, written.GetProperty("evaluations").GetInt64());
        Assert.Equal(counts.InnerSteps, written.GetProperty("innerSteps").GetInt64());
        Assert.Equal(counts.Backtracks, written.GetProperty("backtracks").GetInt64());
        var weights = File.ReadAllLines(Path.Combine(outDir, "weights.csv"));
        for (int i = 0; i < 150; i++)
            Assert.Equal(report.Result.U[i], double.Parse(weights[i + 1].Split(',')[1], CultureInfo.InvariantCulture));
        var trajectory = File.ReadAllLines(Path.Combine(outDir, "trajectory.csv"));
        var header = trajectory[0].Split(',');
        var last = trajectory[^1].Split(',');
        Assert.Equal(counts.InnerSteps, long.Parse(last[Array.IndexOf(header, "inner_steps")], CultureInfo.InvariantCulture));
        Assert.Equal(counts.Evaluations, long.Parse(last[Array.IndexOf(header, "evaluations")], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TheFastProtocolRunsPbgdBWithLbfgsOnTheCrossEntropyModelAndSelectsByHeldOutLoss()
    {
        string outDir = Path.Combine(_dir, "fast");
        var (code, stdout, err) = Support.CliProcess.Run(
            $"hyperclean --protocol fast --dataset synthetic --train 200 --val 60 --test 50 --iterations 5 --threads 1 --out \"{outDir}\"",
            ("MKL_NUM_THREADS", "1"), ("PBGD_MKL_CBWR", Pbgd.Native.MklLibrary.Reproducibility.ToString().ToUpperInvariant()));
        Assert.True(code == 0, err);
        Assert.Contains("selected by held-out loss (12 rows)", stdout);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        var options = root.GetProperty("options");
        Assert.Equal("fast", options.GetProperty("protocol").GetString());
        Assert.Equal("crossEntropy", options.GetProperty("loss").GetString());
        Assert.Equal("lbfgs", options.GetProperty("upperStep").GetString());
        Assert.Equal("PBGD-B", root.GetProperty("algorithm").GetString());
        Assert.StartsWith("lbfgs(", root.GetProperty("oracle").GetString());
        Assert.Equal(0.2, root.GetProperty("holdout").GetProperty("fraction").GetDouble());
    }

    [Fact]
    public void AnUnknownAlgorithmExitsWithTwoAndListsTheValidOnes()
    {
        var (code, _, err) = Support.CliProcess.Run($"hyperclean --algo sgd --dataset synthetic --out \"{Path.Combine(_dir, "x")}\"");
        Assert.Equal(2, code);
        Assert.Contains("--algo", err);
        foreach (var a in BilevelAlgorithms.All) Assert.Contains(BilevelAlgorithms.Name(a), err);
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }
}
