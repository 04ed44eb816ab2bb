using Pbgd.Problems;

namespace Pbgd.Tests.Support;

/// Central finite differences of f and g for any IBilevelProblem: the independent reference for every analytic
/// gradient. Step h_i = 1e−5·max(1, |x_i|): central differences have truncation error O(h²·f''') and rounding
/// error O(ε·|f|/h) ≈ 1e−11·|f|, so both stay far below the 1e−6 relative criterion the tests apply,
///     ‖∇ − ∇_fd‖₂ ≤ 1e−6 · max(‖∇‖₂, 1e−8)      (∇ the analytic block, ∇_fd its finite-difference estimate).
internal static class FiniteDifferences
{
    /// Relative tolerance the gradient tests apply to <see cref="RelativeError"/>.
    internal const double Tolerance = 1e-6;

    /// Which function and which gradient block.
    internal enum Block { UpperU, UpperV, LowerU, LowerV }

    internal static IEnumerable<Block> AllBlocks => [Block.UpperU, Block.UpperV, Block.LowerU, Block.LowerV];

    /// ‖analytic − numeric‖₂ / max(‖analytic‖₂, 1e−8) of one gradient block at (u, v). u and v are restored.
    internal static double RelativeError(IBilevelProblem problem, double[] u, double[] v, Block block)
    {
        var (analytic, numeric) = Compare(problem, u, v, block);
        double diff = 0, norm = 0;
        for (int i = 0; i < analytic.Length; i++)
        {
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            norm += analytic[i] * analytic[i];
        }
        return Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-8);
    }

    /// The compatibility form: upper selects f (else g), blockU selects ∇_u (else ∇_v).
    internal static double RelativeError(IBilevelProblem problem, double[] u, double[] v, bool upper, bool blockU) =>
        RelativeError(problem, u, v, upper ? (blockU ? Block.UpperU : Block.UpperV) : (blockU ? Block.LowerU : Block.LowerV));

    /// The analytic block (the problem's own gradient) and its central-difference estimate.
    internal static (double[] Analytic, double[] Numeric) Compare(IBilevelProblem problem, double[] u, double[] v, Block block)
    {
        bool upper = block is Block.UpperU or Block.UpperV, inU = block is Block.UpperU or Block.LowerU;
        var gu = new double[u.Length];
        var gv = new double[v.Length];
        if (upper) problem.Upper(u, v, gu, gv); else problem.Lower(u, v, gu, gv);
        var x = inU ? u : v;
        var numeric = new double[x.Length];
        double Value() => upper ? problem.Upper(u, v, default, default) : problem.Lower(u, v, default, default);
        for (int i = 0; i < x.Length; i++)
        {
            double keep = x[i], h = 1e-5 * Math.Max(1, Math.Abs(keep));
            double above = keep + h, below = keep - h; // the representable points actually evaluated
            x[i] = above;
            double plus = Value();
            x[i] = below;
            double minus = Value();
            x[i] = keep;
            numeric[i] = (plus - minus) / (above - below);
        }
        return (inU ? gu : gv, numeric);
    }
}
