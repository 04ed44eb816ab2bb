namespace Pbgd.Optimization;

public sealed partial class ProjectedLbfgs
{
    /// <summary>
    /// Strong-Wolfe search on the straight segment x − α d, 0 &lt; α ≤ <paramref name="alphaMax"/> (the first bound):
    /// bracketing then zoom, Nocedal–Wright Algorithms 3.5/3.6. Reaching the bound with sufficient decrease and
    /// f still falling is accepted (the curvature condition cannot be met on the segment). When the trial budget
    /// runs out, the best point with sufficient decrease, if any, is accepted. The accepted point is left in
    /// (_xt, _gt).
    /// </summary>
    private bool WolfeSearch(double alphaMax, double slope, out double alpha, out double value)
    {
        double dphi0 = -slope, c1 = Options.ArmijoConstant, c2 = Options.CurvatureConstant;
        int budget = 1 + Options.MaxBacktracks, trials = 0;
        // Values enter as rises r = f(α) − f(0) (see Rise). lo: the best point with sufficient decrease so far
        // (α = 0 is the current point); its x, g are in _xb, _gb.
        double aLo = 0, rLo = 0, dLo = dphi0, vLo = Value;
        double aHi = 0, rHi = 0, dHi = 0;
        bool hiFinite = false;
        alpha = 1;
        value = double.NaN;
        while (true)
        {
            if (trials == budget || !MovePoint(alpha)) return Exhausted(trials, aLo, vLo, out alpha, out value);
            bool finite = TryEvaluate(_xt, _gt, out value);
            trials++;
            double da = finite ? -Dot(_gt, _d) : double.NaN;
            double r = finite ? Rise(value) : double.NaN;
            if (!finite || r > c1 * alpha * dphi0 || (trials > 1 && r >= rLo))
            {
                (aHi, rHi, dHi, hiFinite) = (alpha, r, da, finite);
                break;
            }
            if (Math.Abs(da) <= -c2 * dphi0 || alpha >= alphaMax) return Accepted(trials);
            if (da >= 0)
            {
                (aHi, rHi, dHi, hiFinite) = (aLo, rLo, dLo, true);
                SaveLo(alpha, r, da, value, ref aLo, ref rLo, ref dLo, ref vLo);
                break;
            }
            double previous = aLo, previousRise = rLo, previousSlope = dLo;
            SaveLo(alpha, r, da, value, ref aLo, ref rLo, ref dLo, ref vLo);
            // Extrapolate (Moré–Thuente's safeguards): a cubic step within [α + 1.1Δ, α + 4Δ], Δ = α − α_prev.
            double width = alpha - previous;
            double low = alpha + 1.1 * width, high = alpha + 4 * width;
            double c = Cubic(previous, previousRise, previousSlope, alpha, r, da);
            alpha = Math.Min(alphaMax, c >= low && c <= high ? c : high);
        }
        while (true)
        {
            if (trials == budget) return Exhausted(trials, aLo, vLo, out alpha, out value);
            double t = hiFinite ? Cubic(aLo, rLo, dLo, aHi, rHi, dHi) : double.NaN;
            // Safeguard: at least 10% of the interval away from hi, so it shrinks, but allowed close to lo, so an
            // overshoot by orders of magnitude (a first step on a stiff problem) is corrected in one or two trials.
            double w = aHi - aLo, nearLo = aLo + 1e-3 * w, nearHi = aHi - 0.1 * w;
            t = double.IsNaN(t) ? aLo + 0.5 * w : Math.Clamp(t, Math.Min(nearLo, nearHi), Math.Max(nearLo, nearHi));
            // An interval below the resolution of α, or of x, ends the search.
            if (!(t > Math.Min(aLo, aHi) && t < Math.Max(aLo, aHi)) || !MovePoint(t))
                return Exhausted(trials, aLo, vLo, out alpha, out value);
            alpha = t;
            bool finite = TryEvaluate(_xt, _gt, out value);
            trials++;
            double da = finite ? -Dot(_gt, _d) : double.NaN;
            double r = finite ? Rise(value) : double.NaN;
            if (!finite || r > c1 * alpha * dphi0 || r >= rLo)
            {
                (aHi, rHi, dHi, hiFinite) = (alpha, r, da, finite);
                continue;
            }
            if (Math.Abs(da) <= -c2 * dphi0) return Accepted(trials);
            if (da * (aHi - aLo) >= 0) (aHi, rHi, dHi, hiFinite) = (aLo, rLo, dLo, true);
            SaveLo(alpha, r, da, value, ref aLo, ref rLo, ref dLo, ref vLo);
        }
    }

    /// <summary>
    /// Armijo backtracking along the projected path x(α) = P(x − α d) from α = 1, with sufficient decrease measured
    /// against the projected step: f(x(α)) ≤ f + c₁ gᵀ(x(α) − x), gᵀ(x(α) − x) &lt; 0. Shrinks by a safeguarded
    /// quadratic step in [0.1α, 0.5α] (halving after a non-finite value).
    /// </summary>
    private bool PathSearch(out double alpha, out double value)
    {
        var x = Point;
        var g = Gradient;
        double c1 = Options.ArmijoConstant;
        int budget = 1 + Options.MaxBacktracks;
        alpha = 1;
        value = double.NaN;
        for (int trials = 0; trials < budget; trials++)
        {
            if (!MovePoint(alpha))
            {
                CountBacktracks(trials);
                return false;
            }
            var terms = new DecreaseTerms(g, _xt, x);
            double decrease = Layout.Sum(ref terms);
            bool finite = TryEvaluate(_xt, _gt, out value);
            double rise = finite ? Rise(value) : double.NaN;
            if (finite && decrease < 0 && rise <= c1 * decrease) return Accepted(trials + 1);
            alpha = Shorter(alpha, finite && decrease < 0, rise, decrease);
        }
        CountBacktracks(budget);
        return false;
    }

    /// <summary>The next trial of a backtracking search: the minimiser of the quadratic through f(0), the path's
    /// secant slope and f(α), kept in [0.1α, 0.5α]; half of α when the trial gave no usable model.</summary>
    internal static double Shorter(double alpha, bool usable, double rise, double decrease)
    {
        if (!usable) return 0.5 * alpha;
        double slope = decrease / alpha;
        double t = -slope * alpha * alpha / (2 * (rise - slope * alpha));
        return t >= 0.1 * alpha && t <= 0.5 * alpha ? t : t < 0.1 * alpha ? 0.1 * alpha : 0.5 * alpha;
    }

    /// <summary>
    /// The minimiser of the cubic interpolating f and f' at a and b (Nocedal–Wright (3.59)); NaN when it has none
    /// (the caller then bisects or extrapolates by its safeguard).
    /// </summary>
    internal static double Cubic(double a, double fa, double da, double b, double fb, double db)
    {
        double d1 = da + db - 3 * (fa - fb) / (a - b);
        double radicand = d1 * d1 - da * db;
        if (!(radicand >= 0)) return double.NaN;
        double d2 = Math.Sign(b - a) * Math.Sqrt(radicand);
        double t = b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
        return double.IsFinite(t) ? t : double.NaN;
    }

    /// <summary>Writes P(x − α d) into _xt; false when no coordinate moved (α below the resolution of x).</summary>
    private bool MovePoint(double alpha)
    {
        var x = Point;
        bool moved = false;
        for (int i = 0; i < x.Length; i++)
        {
            _xt[i] = Box.Clamp(x[i] - alpha * _d[i], i);
            moved |= _xt[i] != x[i];
        }
        return Layout.Any(moved);
    }

    private void SaveLo(double alpha, double rise, double slope, double value,
        ref double aLo, ref double rLo, ref double dLo, ref double vLo)
    {
        _xt.AsSpan().CopyTo(_xb);
        _gt.AsSpan().CopyTo(_gb);
        (aLo, rLo, dLo, vLo) = (alpha, rise, slope, value);
    }

    /// <summary>
    /// f(x₊) − f(x) for the trial in (_xt, _gt), except that in an iteration whose predicted decrease is itself
    /// below f's resolution (_resolveByGradient), a difference within rounding noise (|Δf| ≤ RelativeValueNoise·|f|)
    /// is replaced by the trapezoid estimate ½(g + g₊)ᵀ(x₊ − x), which gradients still resolve when f no longer
    /// does. The gate matters: a gradient that disagrees with f predicts a large decrease, so f alone judges its
    /// steps and the search fails instead of creeping uphill on noise-sized steps.
    /// </summary>
    private double Rise(double value)
    {
        double rise = value - Value;
        if (!_resolveByGradient || !(Math.Abs(rise) <= Options.RelativeValueNoise * Math.Abs(Value))) return rise;
        var terms = new TrapezoidTerms(Gradient, _gt, _xt, Point);
        return Layout.Sum(ref terms);
    }

    /// <summary>The trial in (_xt, _gt) is accepted; the other trials of this search were rejected.</summary>
    private bool Accepted(int trials)
    {
        CountBacktracks(trials - 1);
        return true;
    }

    /// <summary>The Wolfe search ran out of trials: accept the best sufficient-decrease point if there is one.</summary>
    private bool Exhausted(int trials, double aLo, double vLo, out double alpha, out double value)
    {
        (alpha, value) = (aLo, vLo);
        if (aLo == 0)
        {
            CountBacktracks(trials);
            return false;
        }
        _xb.AsSpan().CopyTo(_xt);
        _gb.AsSpan().CopyTo(_gt);
        return Accepted(trials);
    }

    private double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var terms = new DotTerms(a, b);
        return Layout.Sum(ref terms);
    }
}
