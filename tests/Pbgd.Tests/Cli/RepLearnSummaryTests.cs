using System.Globalization;
using System.Text.Json;
using Pbgd.Linalg;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Cli;

/// `pbgd replearn --data csv:…` records the sizes of the data it ran on in summary.json, not the synthetic defaults
/// (N = 3, N' = 5, m = 6, n = 2) of its configuration.
[Trait("Speed", "Slow")]
public sealed class RepLearnSummaryTests : IDisposable
{
    private readonly Tests.Data.DataFiles _files = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-replearn-").FullName;

    public void Dispose()
    {
        _files.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Write(string name, Matrix x) => _files.Text(name, string.Concat(Enumerable.Range(0, x.Rows).Select(i =>
        string.Join(',', x.Row(i).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\n")));

    [Fact]
    public void CsvDataRecordsItsOwnSizes()
    {
        var d = RepresentationLearningGenerator.Create(4, 7, 9, 10, 3, seed: 2);
        string spec = $"csv:{Write("xt.csv", d.XTrain)},{Write("yt.csv", d.YTrain)},{Write("xv.csv", d.XValidation)},{Write("yv.csv", d.YValidation)}";
        string outDir = Path.Combine(_dir, "csv");
        var (code, _, err) = Support.CliProcess.Run($"replearn --data {spec} --hidden 10 --iterations 5 --out \"{outDir}\"", ("MKL_NUM_THREADS", "1"));
        Assert.True(code == 0, err);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var options = summary.RootElement.GetProperty("options");
        Assert.Equal(4, options.GetProperty("train").GetInt32());
        Assert.Equal(7, options.GetProperty("validation").GetInt32());
        Assert.Equal(9, options.GetProperty("features").GetInt32());
        Assert.Equal(3, options.GetProperty("outputs").GetInt32());
        Assert.Equal(10, options.GetProperty("hidden").GetInt32());
        Assert.Equal(4, summary.RootElement.GetProperty("rankRequired").GetInt32());
        Assert.False(summary.RootElement.GetProperty("oscillated").GetBoolean());
        Assert.True(File.Exists(Path.Combine(outDir, "convergence.png")));
    }
}
