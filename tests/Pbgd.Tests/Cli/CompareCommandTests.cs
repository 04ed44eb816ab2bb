using System.Globalization;

namespace Pbgd.Tests.Cli;

/// `pbgd compare` in a child process: its files exist and agree with each other; bad input exits 2 and writes nothing.
[Trait("Speed", "Slow")]
public sealed class CompareCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-compare-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(string arguments) => Support.CliProcess.Run(arguments, ("MKL_NUM_THREADS", "1"));

    [Fact]
    public void OnTheQuadraticBothPbgdVariantsEndAtTheTestsOwnMinimumOfThePenalty()
    {
        // The compare command's quadratic instance is ConvexQuadraticToy(d = 20, seed 1): f = ½‖x − a‖² + ½‖y − b‖²,
        // g = ½‖Hy − x‖² (g* = 0). min L_γ solves [[(1 + γ)I, −γH], [−γH, I + γH²]](x, y) = (a, b) and F* solves
        // (I + H⁻²)x* = a + H⁻¹b: both by the test's Gaussian elimination, from a, b and H alone.
        const int d = 20;
        const double gamma = 100;
        var toy = new Pbgd.Problems.Toys.ConvexQuadraticToy(d, seed: 1);
        double[] Field(string name) => (double[])toy.GetType().GetField(name, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(toy)!;
        var (a, b, h) = (Field("_a"), Field("_b"), toy.Lower.H.ToArray());
        var system = new double[4 * d * d];
        for (int i = 0; i < d; i++)
        {
            system[i * 2 * d + i] = 1 + gamma;
            for (int j = 0; j < d; j++)
            {
                system[i * 2 * d + d + j] = -gamma * h[i * d + j];
                system[(d + i) * 2 * d + j] = -gamma * h[i * d + j];
                double h2 = 0;
                for (int k = 0; k < d; k++) h2 += h[i * d + k] * h[k * d + j];
                system[(d + i) * 2 * d + d + j] = gamma * h2 + (i == j ? 1 : 0);
            }
        }
        var xy = Support.DenseSolve.Solve(system, [.. a, .. b], 2 * d);
        double minPenalized = 0;
        for (int i = 0; i < d; i++)
        {
            double hy = 0;
            for (int j = 0; j < d; j++) hy += h[i * d + j] * xy[d + j];
            minPenalized += 0.5 * Math.Pow(xy[i] - a[i], 2) + 0.5 * Math.Pow(xy[d + i] - b[i], 2) + gamma * 0.5 * Math.Pow(hy - xy[i], 2);
        }
        var hInv = new double[d * d];
        for (int j = 0; j < d; j++)
        {
            var e = new double[d];
            e[j] = 1;
            var column = Support.DenseSolve.Solve(h, e, d);
            for (int i = 0; i < d; i++) hInv[i * d + j] = column[i];
        }
        var lhs = new double[d * d];
        var rhs = new double[d];
        for (int i = 0; i < d; i++)
        {
            rhs[i] = a[i];
            for (int j = 0; j < d; j++)
            {
                rhs[i] += hInv[i * d + j] * b[j];
                for (int k = 0; k < d; k++) lhs[i * d + j] += hInv[i * d + k] * hInv[k * d + j];
            }
            lhs[i * d + i] += 1;
        }
        var xStar = Support.DenseSolve.Solve(lhs, rhs, d);
        double fStar = 0;
        for (int i = 0; i < d; i++)
        {
            double y = 0;
            for (int j = 0; j < d; j++) y += hInv[i * d + j] * xStar[j];
            fStar += 0.5 * Math.Pow(xStar[i] - a[i], 2) + 0.5 * Math.Pow(y - b[i], 2);
        }

        string outDir = Path.Combine(_dir, "quadratic");
        var (code, _, err) = Run($"compare --problem quadratic --dimension {d} --seed 1 --gamma {gamma} --solvers pbgd-b,pbgd-j --iterations 3000 --log-every 100 --out \"{outDir}\"");
        Assert.True(code == 0, err);
        // The table's F* (8 significant digits) is the test's.
        string header = File.ReadAllLines(Path.Combine(outDir, "comparison.md")).Single(l => l.Contains("(F* = ", StringComparison.Ordinal));
        Assert.Contains($"(F* = {fStar.ToString("G8", CultureInfo.InvariantCulture)})", header);
        // Each variant's last logged L_γ (iteration 3000; ‖∇L_γ‖ ≤ 1.3e−6 there, measured) is min L_γ to 1e−10 relative.
        var rows = File.ReadAllLines(Path.Combine(outDir, "comparison-trajectories.csv"));
        var columns = rows[0].Split(',');
        int solver = Array.IndexOf(columns, "solver"), iteration = Array.IndexOf(columns, "iteration"), penalized = Array.IndexOf(columns, "penalized");
        foreach (string name in new[] { "pbgd-b", "pbgd-j" })
        {
            var last = rows.Skip(1).Select(r => r.Split(',')).Last(r => r[solver] == name);
            Assert.Equal("3000", last[iteration]);
            double value = double.Parse(last[penalized], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(value - minPenalized) <= 1e-10 * minPenalized, $"{name}: L_γ = {value:R}, min L_γ = {minPenalized:R}");
            Assert.True(value < fStar, $"{name}: min L_γ {value} must lie below F* = {fStar} (g* = 0, the penalty relaxes the constraint)");
        }
    }

    [Fact]
    public void WritesTableCsvAndPlotForTheA25Toy()
    {
        string outDir = Path.Combine(_dir, "toy");
        var (code, stdout, err) = Run($"compare --problem rxgf-toy --dimension 20 --iterations 300 --rxgf-epsilon 1e-3 --out \"{outDir}\"");
        Assert.True(code == 0, err);
        foreach (var file in new[] { "comparison.md", "comparison.csv", "comparison-trajectories.csv", "comparison.png", "comparison.svg" }) Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        var csv = File.ReadAllLines(Path.Combine(outDir, "comparison.csv"));
        Assert.Equal(6, csv.Length); // header + five solvers
        // The console table is the Markdown file's table.
        var table = File.ReadAllLines(Path.Combine(outDir, "comparison.md")).Where(l => l.StartsWith('|')).ToArray();
        foreach (var line in table) Assert.Contains(line, stdout);
        // RXGF's KKT column holds a number, the others a dash.
        Assert.Contains(csv, l => l.StartsWith("rxgf,", StringComparison.Ordinal) && double.TryParse(l.Split(',')[7], NumberStyles.Float, CultureInfo.InvariantCulture, out _));
    }

    [Theory]
    [InlineData("compare --problem nope", "--problem")]
    [InlineData("compare --problem quadratic --solvers pbgd-b,sgd", "--solvers")]
    [InlineData("compare --problem quadratic --rxgf-epsilon -1", "--rxgf-epsilon")]
    [InlineData("compare --problem replearn --train 9 --features 6", "N ≤ m < N + N'")]
    [InlineData("compare --problem hyperclean --dataset synthetic --precision half", "--precision")]
    [InlineData("compare --problem hyperclean --dataset synthetic --precision single --exact-solver qr", "--precision: single precision applies")]
    public void BadArgumentsExitWithTwoAndWriteNothing(string arguments, string named)
    {
        string outDir = Path.Combine(_dir, "bad");
        var (code, _, err) = Run($"{arguments} --out \"{outDir}\"");
        Assert.Equal(2, code);
        Assert.Contains(named, err);
        Assert.False(Directory.Exists(outDir));
    }
}
