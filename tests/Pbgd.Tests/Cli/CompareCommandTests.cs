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
