using Pbgd.Experiments.Comparison;
using Pbgd.Experiments.Setup;
using ScottPlot;

namespace Pbgd.Reporting;

/// <summary>
/// comparison.png and comparison.svg: every solver's lower-level gap g − g* and, where f* is known, |f − f*| on a log
/// scale against iterations (left) and seconds (right), one colour per solver. The curves' numbers are in
/// comparison-trajectories.csv beside them.
/// </summary>
public static class ComparisonPlot
{
    /// <summary>The files' name without extension.</summary>
    public const string FileName = "comparison";

    /// <summary>Points per curve at most (evenly spaced logged records, always the last).</summary>
    public const int MaxPointsPerCurve = 1_000;

    /// <summary>The figure: the gap row, then the |f − f*| row when the instance has a reference.</summary>
    /// <param name="report">The comparison.</param>
    public static Multiplot Build(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        double? reference = report.Instance.UpperReference;
        string name = report.Instance.UpperReferenceName;
        var figure = Figures.Grid(reference is null ? 1 : 2, 2);
        var plots = figure.GetPlots();
        for (int column = 0; column < 2; column++)
        {
            bool seconds = column == 1;
            string xLabel = seconds ? "seconds" : "iteration";
            for (int i = 0; i < report.Rows.Count; i++)
            {
                var all = report.Rows[i].Result.History.Records.ToArray();
                var records = Figures.Thinned(all.Length, MaxPointsPerCurve).Select(k => all[k]).ToArray();
                double[] x = records.Select(r => seconds ? r.Seconds : r.Iteration).ToArray();
                string solver = BilevelAlgorithms.Name(report.Rows[i].Solver);
                Figures.Curve(plots[column], solver, x, records.Select(r => r.LowerGap).ToArray(), i, logY: true);
                if (reference is { } f)
                    Figures.Curve(plots[2 + column], solver, x, records.Select(r => Math.Abs(r.Upper - f)).ToArray(), i, logY: true);
            }
            string gap = report.LowerExact ? "g − g*" : "g − g* (estimate)";
            Figures.Decorate(plots[column], seconds ? $"{gap} against time" : $"Solver comparison: {report.Instance.Name}\n{gap} against iterations", xLabel, gap, logY: true);
            if (reference is not null)
                Figures.Decorate(plots[2 + column], seconds ? $"|f − {name}| against time" : $"|f − {name}| against iterations", xLabel, $"|f − {name}|", logY: true);
        }
        return figure;
    }

    /// <summary>Writes comparison.png and comparison.svg into <paramref name="directory"/>.</summary>
    /// <param name="report">The comparison.</param>
    /// <param name="directory">Output folder.</param>
    public static void Save(ComparisonReport report, string directory)
    {
        var figure = Build(report);
        Figures.Save(figure, directory, FileName, figure.Count() / 2, 2);
    }
}
