using Pbgd.Experiments;
using Pbgd.Solvers;

namespace Pbgd.Reporting;

/// <summary>convergence.svg: the lower-level gap and the projected-gradient norm (log scale) against iterations
/// and against seconds, plus accuracy and F1 against iterations when a quality trace has them.</summary>
public static class ConvergencePlot
{
    /// <summary>Writes the plot.</summary>
    /// <param name="writer">Destination.</param>
    /// <param name="title">Title.</param>
    /// <param name="result">The run.</param>
    /// <param name="gapIsEstimate">Label the gap as an estimate (iterative oracle).</param>
    /// <param name="quality">Accuracy/F1 trace, or null.</param>
    public static void Write(TextWriter writer, string title, SolverResult result, bool gapIsEstimate, QualityTrace? quality)
    {
        ArgumentNullException.ThrowIfNull(result);
        var records = result.History.Records.ToArray();
        double[] it = records.Select(r => (double)r.Iteration).ToArray();
        double[] sec = records.Select(r => r.Seconds).ToArray();
        double[] gap = records.Select(r => Math.Abs(r.LowerGap)).ToArray();
        double[] grad = records.Select(r => r.GradientNorm).ToArray();
        string gapName = gapIsEstimate ? "|g − g*| (estimate)" : "|g − g*|";
        var panels = new List<SvgPanel>
        {
            new("Gaps against iterations", "iteration", true,
                [new SvgSeries(gapName, it, gap, "#1f77b4"), new SvgSeries("‖projected ∇L_γ‖", it, grad, "#d62728")]),
            new("Gaps against time", "seconds", true,
                [new SvgSeries(gapName, sec, gap, "#1f77b4"), new SvgSeries("‖projected ∇L_γ‖", sec, grad, "#d62728")]),
        };
        if (quality is not null)
        {
            var series = new List<SvgSeries>();
            double[] qIt = quality.Iterations.ToArray().Select(x => (double)x).ToArray();
            if (quality.TestAccuracy.ToArray().Any(double.IsFinite)) series.Add(new SvgSeries("test accuracy", qIt, quality.TestAccuracy.ToArray(), "#2ca02c"));
            if (quality.CleanF1.ToArray().Any(double.IsFinite)) series.Add(new SvgSeries("cleaning F1", qIt, quality.CleanF1.ToArray(), "#9467bd"));
            if (series.Count > 0) panels.Add(new SvgPanel("Accuracy and F1", "iteration", false, series));
        }
        SvgPlot.Write(title, panels, writer);
    }
}
