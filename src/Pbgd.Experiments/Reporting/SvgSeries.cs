namespace Pbgd.Reporting;

/// <summary>One curve of a plot panel.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">Abscissae.</param>
/// <param name="Y">Ordinates (non-finite, and non-positive on a log axis, points are skipped).</param>
/// <param name="Color">CSS colour.</param>
public sealed record SvgSeries(string Name, double[] X, double[] Y, string Color);

/// <summary>One panel of a plot.</summary>
/// <param name="Title">Panel title.</param>
/// <param name="XLabel">Abscissa label.</param>
/// <param name="LogY">Logarithmic ordinate.</param>
/// <param name="Series">The curves.</param>
public sealed record SvgPanel(string Title, string XLabel, bool LogY, IReadOnlyList<SvgSeries> Series);
