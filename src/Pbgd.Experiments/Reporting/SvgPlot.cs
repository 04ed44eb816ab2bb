using System.Globalization;
using System.Security;

namespace Pbgd.Reporting;

/// <summary>
/// A small SVG line-plot writer: panels side by side, one polyline per series with one point per value, axes
/// with min/max ticks, a legend. Written by hand because no plotting package (ScottPlot, OxyPlot, SkiaSharp)
/// is served by the registry these machines reach.
/// </summary>
public static class SvgPlot
{
    private const int PanelWidth = 420, PanelHeight = 300, Margin = 55, LegendHeight = 18;

    /// <summary>Renders the panels into one SVG document.</summary>
    /// <param name="title">Overall title.</param>
    /// <param name="panels">The panels, laid out left to right.</param>
    /// <param name="writer">Destination.</param>
    public static void Write(string title, IReadOnlyList<SvgPanel> panels, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentNullException.ThrowIfNull(writer);
        int legendRows = panels.Count == 0 ? 0 : panels.Max(p => p.Series.Count);
        int width = Math.Max(1, panels.Count) * (PanelWidth + Margin) + Margin;
        int height = 40 + PanelHeight + 2 * Margin + legendRows * LegendHeight;
        var inv = CultureInfo.InvariantCulture;
        writer.WriteLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        writer.WriteLine($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        // A 16-px sans-serif character is about 8.5 px wide: cut a title that would run past the right edge.
        int fit = Math.Max(10, (int)((width - 2 * Margin) / 8.5));
        if (title.Length > fit) title = string.Concat(title.AsSpan(0, fit - 1), "…");
        writer.WriteLine($"<text x=\"{Margin}\" y=\"24\" font-size=\"16\">{Escape(title)}</text>");
        for (int p = 0; p < panels.Count; p++)
        {
            var panel = panels[p];
            double left = Margin + p * (PanelWidth + Margin), top = 40 + 20;
            var (xMin, xMax, yMin, yMax) = Bounds(panel);
            writer.WriteLine($"<g class=\"panel\"><text x=\"{left}\" y=\"{top - 8}\" font-size=\"13\">{Escape(panel.Title)}</text>");
            writer.WriteLine(string.Format(inv, "<rect x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"{3}\" fill=\"none\" stroke=\"#444\"/>", left, top, PanelWidth, PanelHeight));
            string Fmt(double v, bool log) => (log ? Math.Pow(10, v) : v).ToString("G3", inv);
            writer.WriteLine(string.Format(inv, "<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">{2}</text>", left - 4, top + 10, Fmt(yMax, panel.LogY)));
            writer.WriteLine(string.Format(inv, "<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">{2}</text>", left - 4, top + PanelHeight, Fmt(yMin, panel.LogY)));
            writer.WriteLine(string.Format(inv, "<text x=\"{0}\" y=\"{1}\">{2}</text>", left, top + PanelHeight + 16, Fmt(xMin, false)));
            writer.WriteLine(string.Format(inv, "<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">{2}</text>", left + PanelWidth, top + PanelHeight + 16, Fmt(xMax, false)));
            writer.WriteLine(string.Format(inv, "<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\">{2}{3}</text>", left + PanelWidth / 2.0, top + PanelHeight + 32,
                Escape(panel.XLabel), panel.LogY ? " (log-scale ordinate)" : ""));
            for (int s = 0; s < panel.Series.Count; s++)
            {
                var series = panel.Series[s];
                writer.Write($"<polyline class=\"series\" data-name=\"{Escape(series.Name)}\" fill=\"none\" stroke=\"{Escape(series.Color)}\" stroke-width=\"1.5\" points=\"");
                for (int i = 0; i < series.X.Length; i++)
                {
                    double y = Transform(series.Y[i], panel.LogY);
                    if (!double.IsFinite(y) || !double.IsFinite(series.X[i])) continue;
                    double px = left + (xMax > xMin ? (series.X[i] - xMin) / (xMax - xMin) : 0.5) * PanelWidth;
                    double py = top + PanelHeight - (yMax > yMin ? (y - yMin) / (yMax - yMin) : 0.5) * PanelHeight;
                    writer.Write(string.Format(inv, "{0:F2},{1:F2} ", px, py));
                }
                writer.WriteLine("\"/>");
                double ly = top + PanelHeight + 48 + s * LegendHeight;
                writer.WriteLine(string.Format(inv, "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"3\"/><text x=\"{4}\" y=\"{5}\">{6}</text>",
                    left, ly - 4, left + 24, Escape(series.Color), left + 30, ly, Escape(series.Name)));
            }
            writer.WriteLine("</g>");
        }
        writer.WriteLine("</svg>");
    }

    private static double Transform(double y, bool log) => log ? (y > 0 ? Math.Log10(y) : double.NaN) : y;

    private static (double XMin, double XMax, double YMin, double YMax) Bounds(SvgPanel panel)
    {
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (var s in panel.Series)
            for (int i = 0; i < s.X.Length; i++)
            {
                double y = Transform(s.Y[i], panel.LogY);
                if (!double.IsFinite(y) || !double.IsFinite(s.X[i])) continue;
                (xMin, xMax) = (Math.Min(xMin, s.X[i]), Math.Max(xMax, s.X[i]));
                (yMin, yMax) = (Math.Min(yMin, y), Math.Max(yMax, y));
            }
        if (!double.IsFinite(xMin)) (xMin, xMax) = (0, 1);
        if (!double.IsFinite(yMin)) (yMin, yMax) = (0, 1);
        return (xMin, xMax, yMin, yMax);
    }

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
