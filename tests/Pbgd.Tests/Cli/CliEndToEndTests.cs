using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Pbgd.Experiments;

namespace Pbgd.Tests.Cli;

/// The CLI in a child process: arguments in, files out, parsed back and compared with the library.
public sealed class CliEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The child uses the reproducibility branch this test process uses (TestEnvironment), so that its results can be
    // compared with the library's bit for bit.
    private static (int Code, string Out, string Err) Run(string arguments) =>
        Support.CliProcess.Run(arguments, ("MKL_NUM_THREADS", "1"), ("PBGD_MKL_CBWR", Pbgd.Native.MklLibrary.Reproducibility.ToString().ToUpperInvariant()));

    [Fact]
    public void HypercleanWritesOutputsThatMatchTheLibraryBitForBit()
    {
        string outDir = Path.Combine(_dir, "run");
        var (code, _, err) = Run($"hyperclean --dataset synthetic --train 300 --val 80 --test 120 --iterations 25 --log-every 5 --threads 1 --seed 3 --out \"{outDir}\"");
        Assert.True(code == 0, err);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal("PBGD-B", root.GetProperty("algorithm").GetString());
        Assert.Equal("MaxIterations", root.GetProperty("stopReason").GetString());
        Assert.Equal(25, root.GetProperty("iterations").GetInt32());
        foreach (var key in new[] { "upperObjective", "lowerGap", "penalized", "testAccuracy", "cleanPrecision", "cleanRecall", "cleanF1", "seconds" })
            Assert.Equal(JsonValueKind.Number, root.GetProperty(key).ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("lowerGapEstimate").ValueKind);

        // The same configuration through the library, in this process (MKL pinned to one thread here too).
        var config = HyperCleaningConfig.Default with
        {
            Dataset = "synthetic", Train = 300, Validation = 80, Test = 120, Iterations = 25, LogEvery = 5, Threads = 1, Seed = 3,
        };
        var report = HyperCleaningExperiment.Run(config, HyperCleaningExperiment.Synthetic(config));
        var weights = File.ReadAllLines(Path.Combine(outDir, "weights.csv"));
        Assert.Equal("index,u,psi,flagged_corrupted,clean", weights[0]);
        Assert.Equal(301, weights.Length);
        for (int i = 0; i < 300; i++)
        {
            var fields = weights[i + 1].Split(',');
            Assert.Equal(report.Result.U[i], double.Parse(fields[1], CultureInfo.InvariantCulture)); // bit for bit ("R" format)
            Assert.Equal(report.Result.U[i] < 0 ? "true" : "false", fields[3]);
        }
        Assert.Equal(report.Result.Final.Upper, root.GetProperty("upperObjective").GetDouble());
        // Well-conditioned synthetic data: every exact solve by the normal equations, as the library counts them.
        var counts = ((Pbgd.Problems.HyperCleaningSquaredProblem)report.Problem).SolveCounts;
        Assert.True(counts[Pbgd.Problems.LowerSolveMethod.Cholesky] > 0);
        var solves = root.GetProperty("exactSolves");
        Assert.Equal(counts[Pbgd.Problems.LowerSolveMethod.Cholesky], solves.GetProperty("cholesky").GetInt64());
        foreach (var method in new[] { "conjugateGradient", "qr", "minimumNorm" }) Assert.Equal(0, solves.GetProperty(method).GetInt64());
        Assert.False(root.GetProperty("minimumNormFallback").GetBoolean());
        Assert.Equal(report.Cleaning!.Value.F1, root.GetProperty("cleanF1").GetDouble());

        var trajectory = File.ReadAllLines(Path.Combine(outDir, "trajectory.csv"));
        int logged = report.Result.History.Count;
        Assert.Equal(logged + 1, trajectory.Length);
        Assert.Equal(new[] { 0, 5, 10, 15, 20, 25 }, trajectory.Skip(1).Select(l => int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)));

        // The plot: valid XML, one polyline per series, as many points as logged rows.
        var svg = XDocument.Load(Path.Combine(outDir, "convergence.svg"));
        var lines = svg.Descendants().Where(e => e.Name.LocalName == "polyline").ToList();
        Assert.Equal(6, lines.Count); // 2 gap series × 2 panels + accuracy + F1
        foreach (var line in lines)
            Assert.Equal(logged, line.Attribute("points")!.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("hyperclean --train -3", "--train")]
    [InlineData("hyperclean --gamma ramp:1:2", "--gamma")]
    [InlineData("hyperclean --loss hinge", "--loss")]
    [InlineData("hyperclean --dataset idx:/nonexistent/folder", "/nonexistent/folder")]
    [InlineData("hyperclean --no-such-option", "--no-such-option")]
    [InlineData("hyperclean --exact-solver lu", "--exact-solver")]
    [InlineData("hyperclean --exact-solver cg --cg-tolerance 0.5", "ConjugateGradientTolerance")]
    [InlineData("hyperclean --precision half", "--precision")]
    [InlineData("hyperclean --loss cross-entropy --upper-step lbfgs --inner-tolerance 1.5", "--inner-tolerance")]
    [InlineData("hyperclean --loss cross-entropy --upper-step lbfgs --inner-floor 0", "--inner-floor")]
    [InlineData("hyperclean --loss cross-entropy --oracle newton", "--oracle")]
    [InlineData("hyperclean --holdout 1", "--holdout")]
    [InlineData("hyperclean --val 10 --holdout 0.01", "--holdout")]
    [InlineData("hyperclean --protocol quick", "--protocol")]
    [InlineData("hyperclean --precision single --exact-solver qr", "--exact-solver qr needs double data")]
    public void BadArgumentsExitWithTwoAndWriteNothing(string arguments, string named)
    {
        string outDir = Path.Combine(_dir, "bad");
        var (code, _, err) = Run($"{arguments} --out \"{outDir}\"");
        Assert.Equal(2, code);
        Assert.Contains(named, err);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), "files were left behind");
    }

    // MNIST's design is rank-deficient (all-zero pixels, a numerically singular Gram matrix): the default exact solver
    // rejects the normal equations and solves by conjugate gradients, and the note says so rather than naming gelsd.
    [Data.RealDatasetFact("mnist")]
    public void AutoOnMnistReportsTheMethodsThatSolved()
    {
        string folder = Data.RealDatasetFactAttribute.Folder("mnist")!;
        string outDir = Path.Combine(_dir, "mnist");
        var (code, _, err) = Run($"hyperclean --dataset idx:\"{folder}\" --train 1000 --val 300 --test 100 --iterations 3 --log-every 1 --threads 1 --out \"{outDir}\"");
        Assert.True(code == 0, err);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        var solves = root.GetProperty("exactSolves");
        // One W*(u) for the smoothness estimate, then the penalized solve and W*(u) at each of the 4 evaluations.
        Assert.Equal(9, solves.GetProperty("conjugateGradient").GetInt64());
        foreach (var method in new[] { "cholesky", "qr", "minimumNorm" }) Assert.Equal(0, solves.GetProperty(method).GetInt64());
        Assert.True(root.GetProperty("minimumNormFallback").GetBoolean());
        Assert.Contains("exact solves: 9 by conjugate gradients (normwise backward error ≤ 1E-11)", err);
        Assert.DoesNotContain("gelsd", err);
    }

    [Fact]
    public void MalformedDataFileExitsWithTwoNamingTheLine()
    {
        string csv = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(csv, "1,2,0\n3,oops,1\n");
        string outDir = Path.Combine(_dir, "out");
        var (code, _, err) = Run($"hyperclean --dataset csv:\"{csv}\" --out \"{outDir}\"");
        Assert.Equal(2, code);
        Assert.Contains("line 2, column 2", err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void ReplearnReachesTheCertifiedMinimumOfThePenalty()
    {
        string outDir = Path.Combine(_dir, "rl");
        var (code, _, err) = Run($"replearn --gamma 100 --seed 4 --out \"{outDir}\"");
        Assert.True(code == 0, err);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        // Independent reference: the certificate computed here, in this process.
        var d = Pbgd.Synthetic.RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 4);
        double minL = Pbgd.Certificates.RepresentationLearningCertificate.MinimumPenalized(d.XTrain, d.YTrain, d.XValidation, d.YValidation, 100).Value;
        double fStar = Pbgd.Certificates.RepresentationLearningCertificate.GenericOptimumByKkt(d.XTrain, d.YTrain, d.XValidation, d.YValidation).Value;
        Assert.Equal("Converged", root.GetProperty("stopReason").GetString());
        Assert.InRange(root.GetProperty("penalized").GetDouble() - minL, -1e-10, 1e-8 * Math.Max(1, minL));
        Assert.InRange(Math.Abs(root.GetProperty("genericOptimum").GetDouble() - fStar), 0, 1e-9 * fStar);
        Assert.True(root.GetProperty("certificateApplies").GetBoolean());
        Assert.True(File.ReadAllLines(Path.Combine(outDir, "trajectory.csv")).Length > 2);
    }
}
