using Pbgd.Checkpoints;
using ScottPlot;
using ScottPlot.Plottables;
using SkiaSharp;

namespace Pbgd.Reporting;

/// <summary>
/// What every plot of Pbgd shares: a grid of ScottPlot panels (a <see cref="Multiplot"/>), curves with a fixed colour
/// per series, logarithmic ordinates and the PNG + SVG files. ScottPlot has no log axis of its own: a log panel plots
/// log₁₀ of the values (non-positive and non-finite ones left out) with the ticks of <see cref="LogTickGenerator"/>, which
/// <see cref="IsLogY"/> recognises. A figure's numbers always live in a CSV file beside it.
/// </summary>
public static class Figures
{
    /// <summary>Width of one panel in pixels.</summary>
    public const int PanelWidth = 700;

    /// <summary>Height of one panel in pixels.</summary>
    public const int PanelHeight = 400;

    /// <summary>A figure of <paramref name="rows"/> × <paramref name="columns"/> empty panels, filled row by row.</summary>
    /// <param name="rows">At least 1.</param>
    /// <param name="columns">At least 1.</param>
    public static Multiplot Grid(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        var figure = new Multiplot();
        while (figure.Count() < rows * columns) figure.AddPlot();
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        return figure;
    }

    /// <summary>The colour of series <paramref name="index"/> (the same in every panel of a figure).</summary>
    /// <param name="index">Series number.</param>
    public static Color SeriesColor(int index) => new ScottPlot.Palettes.Category10().GetColor(index);

    /// <summary>Adds a curve; on a log panel (<paramref name="logY"/>) the ordinates become log₁₀ and the points whose value
    /// is not positive and finite are left out. Returns null when no point is left.</summary>
    /// <param name="plot">The panel.</param>
    /// <param name="legend">Legend text.</param>
    /// <param name="x">Abscissae.</param>
    /// <param name="y">Ordinates.</param>
    /// <param name="color">Series number (<see cref="SeriesColor"/>).</param>
    /// <param name="logY">Logarithmic ordinate.</param>
    /// <param name="markers">Draw markers only (measured points), else a line.</param>
    public static Scatter? Curve(Plot plot, string legend, IReadOnlyList<double> x, IReadOnlyList<double> y, int color, bool logY, bool markers = false)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var (xs, ys) = Plottable(x, y, logY);
        if (xs.Length == 0) return null;
        var curve = markers ? plot.Add.ScatterPoints(xs, ys, SeriesColor(color)) : plot.Add.ScatterLine(xs, ys, SeriesColor(color));
        curve.LegendText = legend;
        if (markers) curve.MarkerSize = 7;
        else curve.LineWidth = 1.5f;
        return curve;
    }

    /// <summary>The points a curve draws: finite pairs, and on a log panel positive ordinates as log₁₀.</summary>
    /// <param name="x">Abscissae.</param>
    /// <param name="y">Ordinates.</param>
    /// <param name="logY">Logarithmic ordinate.</param>
    public static (double[] X, double[] Y) Plottable(IReadOnlyList<double> x, IReadOnlyList<double> y, bool logY)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} abscissae for {y.Count} ordinates.", nameof(y));
        var xs = new List<double>(x.Count);
        var ys = new List<double>(y.Count);
        for (int i = 0; i < x.Count; i++)
        {
            double value = y[i];
            if (!double.IsFinite(x[i]) || !double.IsFinite(value) || logY && value <= 0) continue;
            xs.Add(x[i]);
            ys.Add(logY ? Math.Log10(value) : value);
        }
        return ([.. xs], [.. ys]);
    }

    /// <summary>Titles the panel and its axes; a log ordinate gets decade ticks (1e−3, 1e−2, …) and log-spaced minor ticks.</summary>
    /// <param name="plot">The panel.</param>
    /// <param name="title">Panel title.</param>
    /// <param name="xLabel">Abscissa label.</param>
    /// <param name="yLabel">Ordinate label.</param>
    /// <param name="logY">Logarithmic ordinate.</param>
    /// <param name="legend">Where the legend goes (upper right by default; upper left suits rising curves).</param>
    /// <param name="emptyNote">What an empty panel says (no point was positive and finite); default "nothing to draw".</param>
    public static void Decorate(Plot plot, string title, string xLabel, string yLabel, bool logY, Alignment legend = Alignment.UpperRight,
        string? emptyNote = null)
    {
        ArgumentNullException.ThrowIfNull(plot);
        if (!plot.GetPlottables().Any()) plot.Add.Annotation(emptyNote ?? "nothing to draw", Alignment.MiddleCenter);
        plot.Title(Wrap(title, 80), 14);
        plot.XLabel(xLabel, 13);
        plot.YLabel(logY ? yLabel + " (log scale)" : yLabel, 13);
        if (logY) plot.Axes.Left.TickGenerator = new LogTickGenerator();
        if (plot.GetPlottables().Any(p => p.LegendItems.Any(item => !string.IsNullOrEmpty(item.LabelText)))) plot.ShowLegend(legend);
    }

    /// <summary>Breaks each line of <paramref name="text"/> at spaces so that no line is longer than
    /// <paramref name="width"/> characters (a word longer than that stays whole): a panel title must fit its panel.</summary>
    /// <param name="text">The text, possibly with line breaks of its own.</param>
    /// <param name="width">Characters per line.</param>
    public static string Wrap(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        foreach (string line in text.Split('\n'))
        {
            var current = new System.Text.StringBuilder();
            foreach (string word in line.Split(' '))
            {
                if (current.Length > 0 && current.Length + 1 + word.Length > width)
                {
                    lines.Add(current.ToString());
                    current.Clear();
                }
                if (current.Length > 0) current.Append(' ');
                current.Append(word);
            }
            lines.Add(current.ToString());
        }
        return string.Join("\n", lines);
    }

    /// <summary>Whether the panel's ordinate is logarithmic (set by <see cref="Decorate"/>).</summary>
    /// <param name="plot">The panel.</param>
    public static bool IsLogY(Plot plot) => plot.Axes.Left.TickGenerator is LogTickGenerator;

    /// <summary>The figure as PNG bytes.</summary>
    /// <param name="figure">The figure.</param>
    /// <param name="width">Pixels.</param>
    /// <param name="height">Pixels.</param>
    public static byte[] Png(Multiplot figure, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return figure.Render(width, height).GetImageBytes(ImageFormat.Png);
    }

    /// <summary>Writes the figure as SVG (SkiaSharp's SVG canvas: text as text, curves as paths).</summary>
    /// <param name="figure">The figure.</param>
    /// <param name="width">Pixels.</param>
    /// <param name="height">Pixels.</param>
    /// <param name="stream">Destination (left open).</param>
    public static void WriteSvg(Multiplot figure, int width, int height, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(figure);
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
        {
            canvas.Clear(SKColors.White);
            figure.Render(canvas, new PixelRect(0, width, height, 0));
        }
        stream.Flush();
    }

    /// <summary>Writes NAME.png and NAME.svg into <paramref name="directory"/>, each atomically; the size is the panel
    /// size times the grid's rows and columns.</summary>
    /// <param name="figure">The figure (from <see cref="Grid"/>).</param>
    /// <param name="directory">Output folder (created if missing).</param>
    /// <param name="name">File name without extension.</param>
    /// <param name="rows">Rows of the grid.</param>
    /// <param name="columns">Columns of the grid.</param>
    public static void Save(Multiplot figure, string directory, string name, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(figure);
        Directory.CreateDirectory(directory);
        int width = columns * PanelWidth, height = rows * PanelHeight;
        byte[] png = Png(figure, width, height);
        AtomicFile.Write(Path.Combine(directory, name + ".png"), s => s.Write(png));
        AtomicFile.Write(Path.Combine(directory, name + ".svg"), s => WriteSvg(figure, width, height, s));
    }

    /// <summary>At most <paramref name="max"/> evenly spaced indices of <paramref name="count"/> (always the last): a
    /// picture needs no more points than it has pixels, the CSV beside it has them all.</summary>
    /// <param name="count">Number of points.</param>
    /// <param name="max">Points to keep at most (≥ 2).</param>
    public static IEnumerable<int> Thinned(int count, int max)
    {
        int stride = Math.Max(1, (count + max - 2) / Math.Max(1, max - 1));
        for (int i = 0; i < count; i++)
            if (i % stride == 0 || i == count - 1) yield return i;
    }
}
