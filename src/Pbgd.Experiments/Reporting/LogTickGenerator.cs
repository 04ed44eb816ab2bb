using System.Globalization;
using ScottPlot;

namespace Pbgd.Reporting;

/// <summary>
/// Ticks of a logarithmic axis whose coordinates are log₁₀ of the values (ScottPlot has no log axis of its own): major
/// ticks at decades (1e−3, 1e−2, …, every k-th decade over a wide range), or at 1, 2, 5 × 10^k (then 1…9 × 10^k) when
/// the range spans too few decades to show two (and 1, 2, 5 fewer than three); minor ticks at 2…9 × 10^k between decades.
/// </summary>
public sealed class LogTickGenerator : ITickGenerator
{
    private static readonly double[] Coarse = [1, 2, 5];
    private static readonly double[] Fine = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    /// <inheritdoc />
    public Tick[] Ticks { get; set; } = [];

    /// <inheritdoc />
    public int MaxTickCount { get; set; } = 10_000;

    /// <summary>Major ticks wanted at most.</summary>
    public int TargetMajorTicks { get; set; } = 8;

    /// <inheritdoc />
    public void Regenerate(CoordinateRange range, Edge edge, PixelLength size, Paint paint, LabelStyle labelStyle) =>
        Ticks = Generate(range.Min, range.Max, TargetMajorTicks).Take(MaxTickCount).ToArray();

    /// <summary>The ticks for log₁₀ coordinates in [<paramref name="lo"/>, <paramref name="hi"/>].</summary>
    /// <param name="lo">Lower end (log₁₀ of the smallest value shown).</param>
    /// <param name="hi">Upper end.</param>
    /// <param name="target">Major ticks wanted at most.</param>
    public static IEnumerable<Tick> Generate(double lo, double hi, int target = 8)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || hi < lo) yield break;
        int first = (int)Math.Ceiling(lo - 1e-9), last = (int)Math.Floor(hi + 1e-9);
        int decades = last - first + 1;
        if (decades >= 2)
        {
            int every = Math.Max(1, (int)Math.Ceiling(decades / (double)Math.Max(1, target)));
            for (int k = first; k <= last; k++)
                if (k % every == 0) yield return Tick.Major(k, Label(k, 1));
            if (every == 1)
                for (int k = first - 1; k <= last; k++)
                    for (int m = 2; m <= 9; m++)
                    {
                        double position = k + Math.Log10(m);
                        if (position >= lo && position <= hi) yield return Tick.Minor(position);
                    }
            yield break;
        }
        // Under two decades: mantissas 1, 2, 5 (or 1…9) times powers of ten.
        foreach (var mantissas in new[] { Coarse, Fine })
        {
            var ticks = new List<Tick>();
            for (int k = first - 1; k <= last; k++)
                foreach (double m in mantissas)
                {
                    double position = k + Math.Log10(m);
                    if (position >= lo - 1e-9 && position <= hi + 1e-9) ticks.Add(Tick.Major(position, Label(k, m)));
                }
            if (ticks.Count >= 3 || ReferenceEquals(mantissas, Fine))
            {
                foreach (var t in ticks) yield return t;
                yield break;
            }
        }
    }

    // m·10^k as a plain number from 0.01 to 9 999 (0.02, 5, 300), else as 2e-3, 1e4.
    private static string Label(int k, double m) => k < -2 || k > 3
        ? string.Create(CultureInfo.InvariantCulture, $"{m}e{k}")
        : (m * Math.Pow(10, k)).ToString("0.##", CultureInfo.InvariantCulture);
}
