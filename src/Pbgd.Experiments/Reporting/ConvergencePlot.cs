using Pbgd.Experiments;
using Pbgd.Solvers;
using ScottPlot;

namespace Pbgd.Reporting;

/// <summary>
/// convergence.png and convergence.svg of a run, drawn with ScottPlot: against iterations (left column) and seconds
/// (right column), the gaps on a log scale — |g − g*| (an estimate with the iterative oracle), L_γ − min L_γ where min
/// L_γ is known, and the projected-gradient norm ‖G‖ the stopping rule reads —, the penalty γ (the multiplier for RXGF,
/// F²SA and BOME), and test accuracy and cleaning F1 when a quality trace has them. Every value is a column of
/// trajectory.csv beside it (L_γ − min L_γ is its penalized column minus summary.json's minimumPenalized).
/// </summary>
public static class ConvergencePlot
{
    /// <summary>The files' name without extension.</summary>
    public const string FileName = "convergence";

    /// <summary>Points per curve at most (evenly spaced logged records, always the last).</summary>
    public const int MaxPointsPerCurve = 2_000;

    /// <summary>The figure: panels row by row (gaps, γ, then accuracy and F1), iterations left, seconds right.</summary>
    /// <param name="title">What ran (the first line of the first panel's title).</param>
    /// <param name="result">The run.</param>
    /// <param name="gapIsEstimate">Label the gap as an estimate (iterative oracle).</param>
    /// <param name="quality">Accuracy/F1 trace, or null.</param>
    /// <param name="penalizedReference">min L_γ (constant γ), or null when unknown.</param>
    public static Multiplot Build(string title, SolverResult result, bool gapIsEstimate, QualityTrace? quality, double? penalizedReference = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var all = result.History.Records.ToArray();
        var records = Figures.Thinned(all.Length, MaxPointsPerCurve).Select(i => all[i]).ToArray();
        bool hasQuality = quality is not null && (HasFinite(quality.TestAccuracy) || HasFinite(quality.CleanF1));
        var figure = Figures.Grid(hasQuality ? 3 : 2, 2);
        var plots = figure.GetPlots();
        string gapName = gapIsEstimate ? "|g − g*| (estimate)" : "|g − g*|";
        // Quality points sit at logged iterations; their seconds are the history's at the same iteration.
        var secondsAt = new Dictionary<int, double>();
        foreach (var r in all) secondsAt[r.Iteration] = r.Seconds;
        for (int column = 0; column < 2; column++)
        {
            bool seconds = column == 1;
            string xLabel = seconds ? "seconds" : "iteration";
            double[] x = records.Select(r => seconds ? r.Seconds : r.Iteration).ToArray();

            var gaps = plots[column];
            Figures.Curve(gaps, gapName, x, records.Select(r => Math.Abs(r.LowerGap)).ToArray(), 0, logY: true);
            if (penalizedReference is { } minL)
                Figures.Curve(gaps, "L_γ − min L_γ", x, records.Select(r => r.Penalized - minL).ToArray(), 1, logY: true);
            Figures.Curve(gaps, "‖projected ∇L_γ‖", x, records.Select(r => r.GradientNorm).ToArray(), 2, logY: true);
            Figures.Decorate(gaps, seconds ? "Gaps against time" : $"{title}\nGaps against iterations", xLabel, "gap", logY: true);

            var gamma = plots[2 + column];
            Figures.Curve(gamma, "γ", x, records.Select(r => r.Gamma).ToArray(), 3, logY: false);
            Figures.Decorate(gamma, seconds ? "Penalty against time" : "Penalty against iterations", xLabel, "γ", logY: false);

            if (!hasQuality) continue;
            var q = quality!;
            // The points trajectory.csv has: those at iterations the (bounded) history kept.
            int[] iterations = q.Iterations.ToArray();
            int[] present = Enumerable.Range(0, q.Count).Where(i => secondsAt.ContainsKey(iterations[i])).ToArray();
            int[] points = Figures.Thinned(present.Length, MaxPointsPerCurve).Select(k => present[k]).ToArray();
            double[] qx = points.Select(i => seconds ? secondsAt[iterations[i]] : iterations[i]).ToArray();
            double[] accuracy = q.TestAccuracy.ToArray(), f1 = q.CleanF1.ToArray();
            var panel = plots[4 + column];
            Figures.Curve(panel, "test accuracy", qx, points.Select(i => accuracy[i]).ToArray(), 4, logY: false);
            Figures.Curve(panel, "cleaning F1", qx, points.Select(i => f1[i]).ToArray(), 5, logY: false);
            Figures.Decorate(panel, seconds ? "Accuracy and F1 against time" : "Accuracy and F1 against iterations", xLabel, "fraction", logY: false);
        }
        return figure;
    }

    /// <summary>Writes convergence.png and convergence.svg into <paramref name="directory"/>.</summary>
    /// <param name="directory">Output folder.</param>
    /// <param name="title">What ran.</param>
    /// <param name="result">The run.</param>
    /// <param name="gapIsEstimate">Label the gap as an estimate.</param>
    /// <param name="quality">Accuracy/F1 trace, or null.</param>
    /// <param name="penalizedReference">min L_γ, or null.</param>
    public static void Save(string directory, string title, SolverResult result, bool gapIsEstimate, QualityTrace? quality, double? penalizedReference = null)
    {
        var figure = Build(title, result, gapIsEstimate, quality, penalizedReference);
        Figures.Save(figure, directory, FileName, figure.Count() / 2, 2);
    }

    private static bool HasFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values) if (double.IsFinite(v)) return true;
        return false;
    }
}
