using System.Xml.Linq;
using Pbgd.Experiments;
using Pbgd.Experiments.Comparison;
using Pbgd.Experiments.Setup;
using Pbgd.Reporting;
using Pbgd.Solvers;
using ScottPlot;
using ScottPlot.Plottables;

namespace Pbgd.Tests.Reporting;

/// The plots through ScottPlot's own model (panels, series, points, axis scale), and the files they become: a PNG
/// (magic bytes, a size only a drawn figure has) and an SVG (XML with text in it).
public sealed class PlotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-plots-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static HyperCleaningReport ShortRun() => HyperCleaningExperiment.Run(
        HyperCleaningConfig.Default with { Dataset = "synthetic", Train = 200, Validation = 60, Test = 80, Iterations = 30, LogEvery = 3, Threads = 1, Seed = 4 },
        HyperCleaningExperiment.Synthetic(HyperCleaningConfig.Default with { Dataset = "synthetic", Train = 200, Validation = 60, Test = 80, Seed = 4 }));

    private static Scatter[] Series(Plot plot) => plot.GetPlottables<Scatter>().ToArray();

    private static int Points(Scatter s) => s.Data.GetScatterPoints().Count;

    // The points a log panel can draw: positive, finite values.
    private static int Positive(IEnumerable<double> values) => values.Count(v => double.IsFinite(v) && v > 0);

    [Fact]
    public void ConvergencePlotHasGapsPenaltyAndQualityAgainstIterationsAndSeconds()
    {
        var report = ShortRun();
        var records = report.Result.History.Records.ToArray();
        var figure = ConvergencePlot.Build("test", report.Result, gapIsEstimate: false, report.Quality);
        var plots = figure.GetPlots();
        Assert.Equal(6, plots.Length); // gaps, γ, accuracy/F1 — each against iterations and seconds
        foreach (int column in new[] { 0, 1 })
        {
            var gaps = Series(plots[column]);
            Assert.Equal(["|g − g*|", "‖projected ∇L_γ‖"], gaps.Select(s => s.LegendText));
            Assert.Equal(Positive(records.Select(r => Math.Abs(r.LowerGap))), Points(gaps[0]));
            Assert.Equal(Positive(records.Select(r => r.GradientNorm)), Points(gaps[1]));
            Assert.True(Figures.IsLogY(plots[column]));
            // A log panel plots log10 of the values.
            var first = gaps[1].Data.GetScatterPoints()[0];
            Assert.Equal(Math.Log10(records[0].GradientNorm), first.Y, 12);
            Assert.Equal(column == 0 ? records[0].Iteration : records[0].Seconds, first.X);

            var gamma = Series(plots[2 + column]);
            Assert.Single(gamma);
            Assert.Equal(records.Length, Points(gamma[0]));
            Assert.False(Figures.IsLogY(plots[2 + column]));
            Assert.All(gamma[0].Data.GetScatterPoints(), p => Assert.Equal(report.Result.Final.Gamma, p.Y));

            var quality = Series(plots[4 + column]);
            Assert.Equal(["test accuracy", "cleaning F1"], quality.Select(s => s.LegendText));
            Assert.All(quality, s => Assert.Equal(report.Quality!.Count, Points(s)));
            Assert.False(Figures.IsLogY(plots[4 + column]));
        }
        Assert.Equal(records.Length, report.Quality!.Count);
    }

    [Fact]
    public void ConvergencePlotAddsThePenalizedGapWhenMinLIsKnownAndDropsQualityWithoutIt()
    {
        var report = ShortRun();
        double minL = report.Result.History.Records.ToArray().Min(r => r.Penalized) - 1e-3;
        var figure = ConvergencePlot.Build("test", report.Result, gapIsEstimate: true, quality: null, penalizedReference: minL);
        var plots = figure.GetPlots();
        Assert.Equal(4, plots.Length);
        var gaps = Series(plots[0]);
        Assert.Equal(["|g − g*| (estimate)", "L_γ − min L_γ", "‖projected ∇L_γ‖"], gaps.Select(s => s.LegendText));
        Assert.Equal(report.Result.History.Count, Points(gaps[1]));
    }

    [Fact]
    public void ALongHistoryIsDrawnWithAtMostTheCapOfPointsAndItsLastRecord()
    {
        var kept = Figures.Thinned(10_001, ConvergencePlot.MaxPointsPerCurve).ToArray();
        Assert.InRange(kept.Length, ConvergencePlot.MaxPointsPerCurve / 2, ConvergencePlot.MaxPointsPerCurve);
        Assert.Equal(0, kept[0]);
        Assert.Equal(10_000, kept[^1]);
        Assert.Equal(Enumerable.Range(0, 7), Figures.Thinned(7, ConvergencePlot.MaxPointsPerCurve));
    }

    [Fact]
    public void ComparisonPlotHasOneCurvePerSolverInEachPanel()
    {
        var report = ComparisonRunner.Run(ComparisonInstances.RepresentationLearning(3, 5, 6, 8, 2, seed: 1),
            new ComparisonSettings { Gamma = "100", MaxIterations = 60, LogEvery = 5 });
        var figure = ComparisonPlot.Build(report);
        var plots = figure.GetPlots();
        Assert.Equal(4, plots.Length); // g − g* and |f − f*_gen|, against iterations and seconds
        Assert.All(plots, p => Assert.True(Figures.IsLogY(p)));
        double f = report.Instance.UpperReference!.Value;
        for (int column = 0; column < 2; column++)
        {
            var gaps = Series(plots[column]);
            var upper = Series(plots[2 + column]);
            Assert.Equal(report.Rows.Select(r => BilevelAlgorithms.Name(r.Solver)), upper.Select(s => s.LegendText));
            for (int i = 0; i < report.Rows.Count; i++)
                Assert.Equal(Positive(report.Rows[i].Result.History.Records.ToArray().Select(r => Math.Abs(r.Upper - f))), Points(upper[i]));
            Assert.Equal(report.Rows.Count(r => Positive(r.Result.History.Records.ToArray().Select(x => x.LowerGap)) > 0), gaps.Length);
        }

        ComparisonOutputs.WriteAll(report, _dir);
        AssertPng(Path.Combine(_dir, "comparison.png"));
        AssertSvg(Path.Combine(_dir, "comparison.svg"));
        // The curves' numbers: one row per logged record of each solver.
        var rows = File.ReadAllLines(Path.Combine(_dir, "comparison-trajectories.csv"));
        Assert.Equal(1 + report.Rows.Sum(r => r.Result.History.Count), rows.Length);
        Assert.StartsWith("solver,iteration,seconds,gamma,upper,lower_gap", rows[0]);
    }

    [Fact]
    public void SavedFiguresAreARealPngAndAnSvg()
    {
        var report = ShortRun();
        ConvergencePlot.Save(_dir, "test", report.Result, false, report.Quality);
        AssertPng(Path.Combine(_dir, "convergence.png"));
        AssertSvg(Path.Combine(_dir, "convergence.svg"));
    }

    internal static void AssertPng(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        // A blank 1400×800 PNG compresses to a few kB; axes, labels and curves take tens.
        Assert.True(bytes.Length > 20_000, $"{path}: only {bytes.Length} bytes");
    }

    internal static void AssertSvg(string path)
    {
        var svg = XDocument.Load(path);
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text");
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "path");
    }

}

/// The log axis's ticks: decades over a wide range, mantissas 1, 2, 5 (then 1…9) over a narrow one.
public class LogTickGeneratorTests
{
    [Fact]
    public void DecadesWithMinorTicksOverAWideRange()
    {
        var ticks = LogTickGenerator.Generate(-6.3, 0.2).ToArray();
        Assert.Equal([-6.0, -5, -4, -3, -2, -1, 0], ticks.Where(t => t.IsMajor).Select(t => t.Position));
        Assert.Equal(["1e-6", "1e-5", "1e-4", "1e-3", "0.01", "0.1", "1"], ticks.Where(t => t.IsMajor).Select(t => t.Label));
        Assert.Equal(["1", "10", "100", "1000", "1e4"], LogTickGenerator.Generate(0, 4).Where(t => t.IsMajor).Select(t => t.Label));
        Assert.Contains(ticks, t => !t.IsMajor && Math.Abs(t.Position - (-3 + Math.Log10(2))) < 1e-12);
    }

    [Fact]
    public void EveryKthDecadeOverAVeryWideRange()
    {
        var majors = LogTickGenerator.Generate(-30, 2, target: 8).Where(t => t.IsMajor).Select(t => t.Position).ToArray();
        Assert.InRange(majors.Length, 2, 9);
        Assert.All(majors, p => Assert.Equal(0, p % 5)); // 33 decades, 8 ticks at most: every 5th
    }

    [Fact]
    public void MantissasOverLessThanADecade()
    {
        // 1.4 … 6: 2 and 5 alone would be two ticks, so 2, 3, 4, 5.
        var labels = LogTickGenerator.Generate(Math.Log10(1.4), Math.Log10(6)).Select(t => t.Label).ToArray();
        Assert.Equal(["2", "3", "4", "5", "6"], labels);
        // 0.0011 … 0.06: 2e-3, 5e-3, 0.01, 0.02, 0.05.
        Assert.Equal(["2e-3", "5e-3", "0.01", "0.02", "0.05"], LogTickGenerator.Generate(Math.Log10(0.0011), Math.Log10(0.06)).Select(t => t.Label));
    }
}

public class TitleWrapTests
{
    [Fact]
    public void LongTitlesBreakAtSpacesAndKeepTheirOwnLines()
    {
        Assert.Equal("aaa bbb\nccc\nddd", Figures.Wrap("aaa bbb ccc\nddd", 8));
        Assert.Equal("abcdefghijk\nx", Figures.Wrap("abcdefghijk x", 5));
        Assert.All(Figures.Wrap(new string('w', 3) + string.Concat(Enumerable.Repeat(" word", 40)), 30).Split('\n'), l => Assert.True(l.Length <= 30));
    }
}
