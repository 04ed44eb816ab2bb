using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Pbgd.Tests.Cli;

/// The CLI's exits and files that no other test reaches through a child process: exit code 3 on divergence, model.csv
/// predicting the official test set as summary.json reports, --label-column and libsvm: against the default CSV reading,
/// --protocol vpbgd against its documented settings, --val-file as the set f is measured on, --precision single against
/// double, and --time-budget. (A resume refused for changed data is main's CheckpointIntegrityTests.)
[Trait("Speed", "Slow")]
public sealed class ExitCodeAndOutputTests : IDisposable
{
    private const string Small = "hyperclean --dataset synthetic --train 300 --val 80 --test 120 --threads 1";
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-exits-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Pbgd(string arguments) =>
        Support.CliProcess.Run(arguments, ("MKL_NUM_THREADS", "1"), ("KMP_BLOCKTIME", "0"));

    private static JsonElement Summary(string dir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json"))).RootElement;

    // The numeric columns after the first (an index or a row name); columns = null for all of them.
    private static double[][] Csv(string path, int? columns = null) =>
        File.ReadAllLines(path).Skip(1).Select(l => l.Split(',').Skip(1).Take(columns ?? int.MaxValue)
            .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    [Fact]
    public void ADivergedRunExitsWithThreeAndKeepsTheLastFiniteState()
    {
        // PBGD-J with the iterative oracle at 10⁴ times the derived step: L_γ rises until a NaN (measured: iteration 60).
        string outDir = Path.Combine(_dir, "diverged");
        var (code, _, err) = Pbgd($"{Small} --iterations 200 --algo pbgd-j --oracle iterative --step-scale 1e4 --out \"{outDir}\"");
        Assert.Equal(3, code);
        var summary = Summary(outDir);
        Assert.Equal("Diverged", summary.GetProperty("stopReason").GetString());
        int iterations = summary.GetProperty("iterations").GetInt32();
        Assert.InRange(iterations, 1, 199);
        Assert.Contains($"error: the run diverged after iteration {iterations} (NaN or infinity)", err);
        // The outputs hold the last finite state: u inside the box |u_i| ≤ 10, ψ(u) by the test's own logistic, W finite.
        var weights = Csv(Path.Combine(outDir, "weights.csv"), columns: 2); // u, ψ(u)
        Assert.Equal(300, weights.Length);
        foreach (var row in weights)
        {
            Assert.InRange(row[0], -10, 10);
            Assert.Equal(1 / (1 + Math.Exp(-row[0])), row[1], 1e-15);
        }
        Assert.All(Csv(Path.Combine(outDir, "model.csv")).SelectMany(r => r), w => Assert.True(double.IsFinite(w)));
        Assert.True(double.IsFinite(summary.GetProperty("penalized").GetDouble()));
    }

    // Ten classes of 8×8 images: class c lights pixels c·6 … c·6+5 over a noise floor, so a linear model separates them.
    private static (byte[] Images, byte[] Labels) Images(int count, Random random)
    {
        var images = new List<byte> { 0, 0, 8, 3 };
        var labels = new List<byte> { 0, 0, 8, 1 };
        var size = new byte[4];
        foreach (var list in new[] { images, labels })
        {
            BinaryPrimitives.WriteInt32BigEndian(size, count);
            list.AddRange(size);
        }
        images.AddRange([0, 0, 0, 8, 0, 0, 0, 8]);
        for (int i = 0; i < count; i++)
        {
            int c = random.Next(10);
            labels.Add((byte)c);
            for (int p = 0; p < 64; p++) images.Add((byte)(p / 6 == c ? 150 + random.Next(100) : random.Next(120)));
        }
        return (images.ToArray(), labels.ToArray());
    }

    [Fact]
    public void ModelCsvPredictsTheOfficialTestSetAsTheSummaryReports()
    {
        string data = Path.Combine(_dir, "idx"), outDir = Path.Combine(_dir, "model");
        Directory.CreateDirectory(data);
        var random = new Random(5);
        var (train, trainLabels) = Images(400, random);
        var (test, testLabels) = Images(150, random);
        File.WriteAllBytes(Path.Combine(data, "train-images-idx3-ubyte"), train);
        File.WriteAllBytes(Path.Combine(data, "train-labels-idx1-ubyte"), trainLabels);
        File.WriteAllBytes(Path.Combine(data, "t10k-images-idx3-ubyte"), test);
        File.WriteAllBytes(Path.Combine(data, "t10k-labels-idx1-ubyte"), testLabels);
        var (code, _, err) = Pbgd($"hyperclean --dataset \"idx:{data}\" --official-test --train 300 --val 100 --test 150 --iterations 30 --threads 1 --out \"{outDir}\"");
        Assert.True(code == 0, err);

        // model.csv: rows w_0 … w_63 for the pixels / 255 and w_64 for the constant feature; one column per class.
        var w = Csv(Path.Combine(outDir, "model.csv"));
        Assert.Equal(65, w.Length);
        Assert.All(w, row => Assert.Equal(10, row.Length));
        int correct = 0;
        for (int i = 0; i < 150; i++)
        {
            var score = new double[10];
            for (int c = 0; c < 10; c++)
            {
                score[c] = w[64][c];
                for (int p = 0; p < 64; p++) score[c] += test[16 + 64 * i + p] / 255.0 * w[p][c];
            }
            if (Array.IndexOf(score, score.Max()) == testLabels[8 + i]) correct++;
        }
        double accuracy = Summary(outDir).GetProperty("testAccuracy").GetDouble();
        Assert.Equal(correct / 150.0, accuracy, 1e-15);
        Assert.True(accuracy > 0.5, $"test accuracy {accuracy} (chance 0.1)"); // the classes are separable by construction
    }

    [Fact]
    public void TheLabelColumnAndTheFileFormatDoNotChangeTheRun()
    {
        // One data set written three ways: CSV with the label last (the default column), CSV with the label first chosen
        // by --label-column, and LIBSVM (zeros left out). Parsed to the same doubles, the three runs must agree to the bit.
        var random = new Random(3);
        var rows = Enumerable.Range(0, 400).Select(_ =>
        {
            int c = random.Next(3);
            return (Label: c, X: Enumerable.Range(0, 6).Select(j => Math.Round((j % 3 == c ? 1.5 : 0) + 2 * random.NextDouble() - 1, 4)).ToArray());
        }).ToArray();
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string last = Path.Combine(_dir, "last.csv"), first = Path.Combine(_dir, "first.csv"), svm = Path.Combine(_dir, "data.svm");
        File.WriteAllLines(last, rows.Select(r => string.Join(",", r.X.Select(F)) + $",{r.Label}").Prepend("a,b,c,d,e,f,label"));
        File.WriteAllLines(first, rows.Select(r => $"{r.Label}," + string.Join(",", r.X.Select(F))).Prepend("y,a,b,c,d,e,f"));
        File.WriteAllLines(svm, rows.Select(r => $"{r.Label} " + string.Join(" ", r.X.Select((v, j) => (v, j)).Where(p => p.v != 0).Select(p => $"{p.j + 1}:{F(p.v)}"))));
        const string sizes = "--train 250 --val 80 --test 70 --iterations 30 --threads 1";
        var runs = new[] { $"--dataset \"csv:{last}\"", $"--dataset \"csv:{first}\" --label-column y", $"--dataset \"libsvm:{svm}\"" };
        var outputs = new List<string[]>();
        for (int k = 0; k < runs.Length; k++)
        {
            string outDir = Path.Combine(_dir, $"format{k}");
            var (code, _, err) = Pbgd($"hyperclean {runs[k]} {sizes} --out \"{outDir}\"");
            Assert.True(code == 0, err);
            outputs.Add([File.ReadAllText(Path.Combine(outDir, "weights.csv")), File.ReadAllText(Path.Combine(outDir, "model.csv")),
                Summary(outDir).GetProperty("upperObjective").GetDouble().ToString("R", CultureInfo.InvariantCulture)]);
        }
        Assert.Equal(outputs[0], outputs[1]);
        Assert.Equal(outputs[0], outputs[2]);
        Assert.Equal(3, Csv(Path.Combine(_dir, "format0", "model.csv"))[0].Length); // three classes
    }

    [Fact]
    public void TheVpbgdProtocolRunsAsDocumented()
    {
        // docs/algorithms.md §4: logistic model with its own bias (no bias feature), PBGD-J with one warm-started oracle step
        // β = 0.01, α = 0.1·min(1, 1/γ), γ ramp 0 → 0.2 over 30 000 steps, metrics every 10; sizes and iterations given here.
        string outDir = Path.Combine(_dir, "vpbgd");
        var (code, _, err) = Pbgd($"{Small} --protocol vpbgd --iterations 40 --out \"{outDir}\"");
        Assert.True(code == 0, err);
        var options = Summary(outDir).GetProperty("options");
        Assert.Equal("crossEntropy", options.GetProperty("loss").GetString());
        Assert.Equal("jacobi", options.GetProperty("algorithm").GetString());
        Assert.Equal("iterative", options.GetProperty("oracle").GetString());
        Assert.Equal(1, options.GetProperty("oracleSteps").GetInt32());
        Assert.Equal(0.01, options.GetProperty("oracleStepSize").GetDouble());
        Assert.False(options.GetProperty("biasFeature").GetBoolean());
        Assert.Equal(300, options.GetProperty("train").GetInt32());
        var rows = File.ReadAllLines(Path.Combine(outDir, "trajectory.csv"));
        var header = rows[0].Split(',');
        int iteration = Array.IndexOf(header, "iteration"), gammaAt = Array.IndexOf(header, "gamma"), step = Array.IndexOf(header, "step"), upper = Array.IndexOf(header, "upper");
        var logged = rows.Skip(1).Select(r => r.Split(',')).ToArray();
        Assert.Equal(new[] { 0, 10, 20, 30, 40 }, logged.Select(r => int.Parse(r[iteration], CultureInfo.InvariantCulture)));
        foreach (var r in logged)
        {
            int k = int.Parse(r[iteration], CultureInfo.InvariantCulture);
            double gamma = double.Parse(r[gammaAt], CultureInfo.InvariantCulture);
            Assert.Equal(0.2 * k / 30000, gamma, 1e-18);
            Assert.Equal(0.1 * Math.Min(1, 1 / gamma), double.Parse(r[step], CultureInfo.InvariantCulture), 1e-15);
        }
        // u⁰ = 0 and the model starts at zero: every sample's softmax is uniform over the 10 classes, so f = ln 10.
        Assert.Equal(Math.Log(10), double.Parse(logged[0][upper], CultureInfo.InvariantCulture), 1e-14);
    }

    [Fact]
    public void ValFileIsTheValidationSetTheUpperObjectiveIsMeasuredOn()
    {
        // Training rows in one CSV, 80 trusted validation rows in another: the run's final f must be the test's own
        // ½‖X_val W − Y_val‖² over the --val-file rows (features / 255, the constant feature, one-hot targets) with W from
        // model.csv — so the validation set is that file, all of it, and model.csv is the W the summary's f was taken at.
        var random = new Random(4);
        string Row() { int c = random.Next(3); return string.Join(",", Enumerable.Range(0, 6).Select(j => (j % 3 == c ? 120 : 0) + random.Next(100))) + $",{c}"; }
        string train = Path.Combine(_dir, "train.csv"), val = Path.Combine(_dir, "val.csv"), outDir = Path.Combine(_dir, "valfile");
        File.WriteAllLines(train, Enumerable.Range(0, 320).Select(_ => Row()).Prepend("a,b,c,d,e,f,label"));
        var valRows = Enumerable.Range(0, 80).Select(_ => Row()).ToArray();
        File.WriteAllLines(val, valRows.Prepend("a,b,c,d,e,f,label"));
        var (code, stdout, err) = Pbgd($"hyperclean --dataset \"csv:{train}\" --val-file \"{val}\" --train 250 --test 70 --iterations 30 --threads 1 --out \"{outDir}\"");
        Assert.True(code == 0, err);
        // What the run says it used is the file's 80 rows, never the --val option's default of 5 000.
        Assert.Contains("N' = 80,", stdout);
        Assert.DoesNotContain("5000", stdout);
        var w = Csv(Path.Combine(outDir, "model.csv"));
        Assert.Equal(7, w.Length);
        double f = 0;
        foreach (var line in valRows)
        {
            var fields = line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var x = fields[..6].Select(v => v / 255).Append(1.0).ToArray();
            for (int q = 0; q < 3; q++)
            {
                double z = 0;
                for (int j = 0; j < 7; j++) z += x[j] * w[j][q];
                f += 0.5 * Math.Pow(z - (fields[6] == q ? 1 : 0), 2);
            }
        }
        double reported = Summary(outDir).GetProperty("upperObjective").GetDouble();
        Assert.True(Math.Abs(reported - f) <= 1e-12 * f, $"f = {reported:R}, the test's f over the --val-file rows = {f:R}");
    }

    [Fact]
    public void SinglePrecisionMatchesDoubleAndATimeBudgetStopsTheRun()
    {
        const string ce = $"{Small} --loss cross-entropy --oracle iterative --iterations 40";
        string single = Path.Combine(_dir, "single"), dbl = Path.Combine(_dir, "double"), budget = Path.Combine(_dir, "budget");
        var (code, _, err) = Pbgd($"{ce} --precision single --out \"{single}\"");
        Assert.True(code == 0, err);
        (code, _, err) = Pbgd($"{ce} --out \"{dbl}\"");
        Assert.True(code == 0, err);
        Assert.Equal("single", Summary(single).GetProperty("options").GetProperty("precision").GetString(), ignoreCase: true);
        // float32 X in the gradient passes: gradients to ~1e−7 relative, so 40 iterations end within 1e−5 of the double run.
        foreach (string key in new[] { "upperObjective", "penalized" })
        {
            double s = Summary(single).GetProperty(key).GetDouble(), d = Summary(dbl).GetProperty(key).GetDouble();
            Assert.True(s != d, $"{key}: single and double are bit-identical; was X stored as float32?");
            Assert.InRange(Math.Abs(s - d), 0, 1e-5 * Math.Abs(d));
        }

        (code, _, err) = Pbgd($"{Small} --iterations 100000000 --time-budget 0.5 --out \"{budget}\"");
        Assert.True(code == 0, err);
        Assert.Equal("TimeBudget", Summary(budget).GetProperty("stopReason").GetString());
        Assert.InRange(Summary(budget).GetProperty("iterations").GetInt32(), 1, 99_999_999);
    }
}
