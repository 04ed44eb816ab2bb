using System.Globalization;
using System.Text.Json;
using Pbgd.Experiments;

namespace Pbgd.Tests.Cli;

/// The CLI in a child process: arguments in, files out, parsed back and compared with the library.
[Trait("Speed", "Slow")]
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
        Assert.True(counts["normal"] > 0);
        var solves = root.GetProperty("exactSolves");
        Assert.Equal(counts["normal"], solves.GetProperty("normal").GetInt64());
        foreach (var solver in new[] { "cg", "qr", "svd" }) Assert.Equal(0, solves.GetProperty(solver).GetInt64());
        Assert.False(root.GetProperty("rankDeficient").GetBoolean());
        Assert.Equal(report.Cleaning!.Value.F1, root.GetProperty("cleanF1").GetDouble());

        var trajectory = File.ReadAllLines(Path.Combine(outDir, "trajectory.csv"));
        int logged = report.Result.History.Count;
        Assert.Equal(logged + 1, trajectory.Length);
        Assert.Equal(new[] { 0, 5, 10, 15, 20, 25 }, trajectory.Skip(1).Select(l => int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)));

        // The plot, as PNG and SVG (its model is tested in Reporting/PlotTests; its numbers are trajectory.csv's).
        Reporting.PlotTests.AssertPng(Path.Combine(outDir, "convergence.png"));
        Reporting.PlotTests.AssertSvg(Path.Combine(outDir, "convergence.svg"));
    }

    [Theory]
    [InlineData("hyperclean --train -3", "--train")]
    [InlineData("hyperclean --gamma ramp:1:2", "--gamma")]
    [InlineData("hyperclean --loss hinge", "--loss")]
    [InlineData("hyperclean --dataset idx:/nonexistent/folder", "/nonexistent/folder")]
    [InlineData("hyperclean --no-such-option", "--no-such-option")]
    [InlineData("hyperclean --exact-solver lu", "--exact-solver")]
    [InlineData("hyperclean --exact-solver normal,lu", "'lu' is not a solver")]
    [InlineData("hyperclean --exact-solver cg --cg-tolerance 0.5", "--cg-tolerance: ")]
    [InlineData("hyperclean --precision half", "--precision")]
    [InlineData("hyperclean --loss cross-entropy --upper-step lbfgs --inner-tolerance 1.5", "--inner-tolerance")]
    [InlineData("hyperclean --loss cross-entropy --upper-step lbfgs --inner-floor 0", "--inner-floor")]
    [InlineData("hyperclean --loss cross-entropy --oracle newton", "--oracle")]
    [InlineData("hyperclean --holdout 1", "--holdout")]
    [InlineData("hyperclean --val 10 --holdout 0.01", "--holdout")]
    [InlineData("hyperclean --protocol quick", "--protocol")]
    [InlineData("hyperclean --precision single --exact-solver qr", "--precision: single precision applies")]
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
        Assert.Equal(9, solves.GetProperty("cg").GetInt64());
        foreach (var solver in new[] { "normal", "qr", "svd" }) Assert.Equal(0, solves.GetProperty(solver).GetInt64());
        Assert.True(root.GetProperty("rankDeficient").GetBoolean());
        Assert.Contains("exact solves: 9 by conjugate gradients (normwise backward error ≤ 1E-11)", err);
        Assert.DoesNotContain("gelsd", err);
    }

    // An unfetched MNIST falls back to the embedded synthetic set, with a note that says how to fetch it: on stderr
    // for hyperclean, among the progress lines on stdout for compare.
    [Fact]
    public void MissingMnistFallsBackToSyntheticWithTheFetchHint()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        string note = $"mnist not found in {Path.Combine(empty, "mnist")} (fetch it with 'pbgd data fetch mnist'): using the embedded synthetic data set instead.";
        var (code, stdout, err) = Run($"hyperclean --dataset mnist --data-dir \"{empty}\" --train 30 --val 10 --test 10 --iterations 1 --threads 1 --out \"{Path.Combine(_dir, "fallback")}\"");
        Assert.True(code == 0, err);
        Assert.Contains($"note: {note}", err);
        Assert.Contains("data: synthetic (seeded Gaussian clusters", stdout);
        (code, stdout, err) = Run($"compare --problem hyperclean --dataset mnist --data-dir \"{empty}\" --solvers pbgd-b --train 30 --val 10 --test 10 --iterations 1 --out \"{Path.Combine(_dir, "compare")}\"");
        Assert.True(code == 0, err);
        Assert.Contains(note, stdout.Split('\n').Select(l => l.TrimEnd('\r')));
    }

    // A chain of the user's, by solver names: the summary records it and counts the solves by its members.
    [Fact]
    public void HypercleanTakesAChainOfSolversByName()
    {
        string outDir = Path.Combine(_dir, "chain");
        var (code, _, err) = Run($"hyperclean --dataset synthetic --train 120 --val 40 --test 30 --iterations 3 --threads 1 --exact-solver qr,normal --out \"{outDir}\"");
        Assert.True(code == 0, err);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal("qr,normal", root.GetProperty("options").GetProperty("exactSolver").GetString());
        var solves = root.GetProperty("exactSolves");
        Assert.Equal(["qr", "normal"], solves.EnumerateObject().Select(p => p.Name));
        Assert.True(solves.GetProperty("qr").GetInt64() > 0); // full-rank synthetic data: QR answers every solve
        Assert.Equal(0, solves.GetProperty("normal").GetInt64());
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
        // The CLI stops when L_γ − (its certificate's min L_γ) ≤ 1e−10·min L_γ; the test checks its summary against min L_γ
        // from the test's own stacked least squares (not the certificate), so a wrong certificate — or a run that stopped
        // on one — fails: the certificate value to 1e−10, the final L_γ to 1e−8 above it (room for the stop's 1e−10).
        var (code, _, err) = Run($"replearn --gamma 100 --seed 4 --tolerance 1e-10 --out \"{outDir}\"");
        Assert.True(code == 0, err);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        var d = Pbgd.Synthetic.RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 4);
        double minL = Pbgd.Tests.Problems.PlainReference.StackedMinimum(d.XTrain, d.YTrain, d.XValidation, d.YValidation, 100);
        double fStar = Pbgd.Certificates.RepresentationLearningCertificate.GenericOptimumByKkt(d.XTrain, d.YTrain, d.XValidation, d.YValidation).Value;
        Assert.Equal("Converged", root.GetProperty("stopReason").GetString());
        Assert.InRange(root.GetProperty("minimumPenalized").GetDouble() - minL, -1e-10 * minL, 1e-10 * minL);
        Assert.InRange(root.GetProperty("penalized").GetDouble() - minL, -1e-12 * minL, 1e-8 * minL);
        Assert.InRange(Math.Abs(root.GetProperty("genericOptimum").GetDouble() - fStar), 0, 1e-9 * fStar);
        Assert.True(root.GetProperty("certificateApplies").GetBoolean());
        Assert.True(File.ReadAllLines(Path.Combine(outDir, "trajectory.csv")).Length > 2);
    }
}
