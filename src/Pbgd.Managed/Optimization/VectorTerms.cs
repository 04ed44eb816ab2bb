using Pbgd.Distributed;

namespace Pbgd.Optimization;

// The sums the minimisers take over their vector, as range terms for VectorLayout.Sum: on one process a layout sums them
// in one plain loop (exactly the loops these replace); over processes, per fixed part and by the shard's tree. Each
// accumulates in index order into locals, then stores.

/// Σ aᵢbᵢ.
internal readonly ref struct DotTerms(ReadOnlySpan<double> a, ReadOnlySpan<double> b) : IRangeSums
{
    private readonly ReadOnlySpan<double> _a = a, _b = b;

    public void Add(int start, int end, scoped Span<double> sums)
    {
        double s = 0;
        for (int i = start; i < end; i++) s += _a[i] * _b[i];
        sums[0] = s;
    }
}

/// Σ_free aᵢbᵢ.
internal readonly ref struct MaskedDotTerms(ReadOnlySpan<bool> free, ReadOnlySpan<double> a, ReadOnlySpan<double> b) : IRangeSums
{
    private readonly ReadOnlySpan<bool> _free = free;
    private readonly ReadOnlySpan<double> _a = a, _b = b;

    public void Add(int start, int end, scoped Span<double> sums)
    {
        double s = 0;
        for (int i = start; i < end; i++)
            if (_free[i]) s += _a[i] * _b[i];
        sums[0] = s;
    }
}

/// Σ_free sᵢyᵢ, Σ_free yᵢ², Σ_free sᵢdᵢ (one pair of the two-loop recursion).
internal readonly ref struct PairTerms(ReadOnlySpan<bool> free, ReadOnlySpan<double> s, ReadOnlySpan<double> y, ReadOnlySpan<double> d) : IRangeSums
{
    private readonly ReadOnlySpan<bool> _free = free;
    private readonly ReadOnlySpan<double> _s = s, _y = y, _d = d;

    public void Add(int start, int end, scoped Span<double> sums)
    {
        double sy = 0, yy = 0, sq = 0;
        for (int i = start; i < end; i++)
        {
            if (!_free[i]) continue;
            sy += _s[i] * _y[i];
            yy += _y[i] * _y[i];
            sq += _s[i] * _d[i];
        }
        (sums[0], sums[1], sums[2]) = (sy, yy, sq);
    }
}

/// Σ gᵢ(tᵢ − xᵢ).
internal readonly ref struct DecreaseTerms(ReadOnlySpan<double> g, ReadOnlySpan<double> t, ReadOnlySpan<double> x) : IRangeSums
{
    private readonly ReadOnlySpan<double> _g = g, _t = t, _x = x;

    public void Add(int start, int end, scoped Span<double> sums)
    {
        double s = 0;
        for (int i = start; i < end; i++) s += _g[i] * (_t[i] - _x[i]);
        sums[0] = s;
    }
}

/// Σ ½(gᵢ + g₊ᵢ)(x₊ᵢ − xᵢ).
internal readonly ref struct TrapezoidTerms(ReadOnlySpan<double> g, ReadOnlySpan<double> gt, ReadOnlySpan<double> xt, ReadOnlySpan<double> x) : IRangeSums
{
    private readonly ReadOnlySpan<double> _g = g, _gt = gt, _xt = xt, _x = x;

    public void Add(int start, int end, scoped Span<double> sums)
    {
        double s = 0;
        for (int i = start; i < end; i++) s += 0.5 * (_g[i] + _gt[i]) * (_xt[i] - _x[i]);
        sums[0] = s;
    }
}

/// With s = x₊ − x and y = g₊ − g: Σ sᵢyᵢ and Σ yᵢ² (L-BFGS), or Σ sᵢ² and Σ sᵢyᵢ (BB).
internal readonly ref struct StepPairTerms(ReadOnlySpan<double> xt, ReadOnlySpan<double> x, ReadOnlySpan<double> gt, ReadOnlySpan<double> g, bool squaresOfSteps) : IRangeSums
{
    private readonly ReadOnlySpan<double> _xt = xt, _x = x, _gt = gt, _g = g;

    public void Add(int start, int end, scoped Span<double> sums)
    {
        double a = 0, b = 0;
        if (squaresOfSteps)
            for (int i = start; i < end; i++)
            {
                double s = _xt[i] - _x[i], y = _gt[i] - _g[i];
                a += s * s;
                b += s * y;
            }
        else
            for (int i = start; i < end; i++)
            {
                double s = _xt[i] - _x[i], y = _gt[i] - _g[i];
                a += s * y;
                b += y * y;
            }
        (sums[0], sums[1]) = (a, b);
    }
}

/// Σ (xᵢ − P(xᵢ − gᵢ))².
internal readonly ref struct ProjectedStepTerms(Box box, ReadOnlySpan<double> x, ReadOnlySpan<double> g) : IRangeSums
{
    private readonly ReadOnlySpan<double> _x = x, _g = g;

    public void Add(int start, int end, scoped Span<double> sums)
    {
        double s = 0;
        for (int i = start; i < end; i++)
        {
            double r = _x[i] - box.Clamp(_x[i] - _g[i], i);
            s += r * r;
        }
        sums[0] = s;
    }
}

internal static class LayoutSums
{
    internal static double Sum<T>(this VectorLayout layout, ref T terms) where T : IRangeSums, allows ref struct
    {
        Span<double> total = stackalloc double[1];
        layout.Sum(ref terms, total);
        return total[0];
    }

    /// ‖·‖∞-type maximum over processes that stays NaN when any process's is NaN (as the local loops return).
    internal static double MaxOrNaN(this VectorLayout layout, double local)
    {
        if (!layout.IsDistributed) return local;
        bool anyNaN = layout.Any(double.IsNaN(local));
        return anyNaN ? double.NaN : layout.Max(local);
    }
}
