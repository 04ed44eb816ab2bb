namespace Pbgd.Optimization;

/// <summary>
/// L-BFGS on a box by two-metric projection (Bertsekas 1982; Kelley, <i>Iterative Methods for Optimization</i>,
/// ch. 5): variables the scaled gradient step would put on a bound form the active set and take a projected,
/// γ-scaled gradient step; the others take the L-BFGS step of the two-loop recursion restricted to them; the
/// search path is x(α) = P(x − α d).
/// </summary>
/// <remarks>
/// <para>Why not true L-BFGS-B (generalised Cauchy point plus subspace minimisation, Byrd–Lu–Nocedal–Zhu): its
/// compact-representation algebra is long and delicate, and the two-metric form keeps what matters here —
/// many bounds may activate in one step, and on the free variables the step is quasi-Newton, so convergence is
/// fast once the active set settles — in a few short loops whose arithmetic order is fixed (bit-identical
/// resumes).</para>
/// <para>Why not a package: the served Math.NET Numerics 5 has a BFGS-B minimiser, but over its own Vector&lt;double&gt;
/// objects that it allocates every iteration, with no span interface and no way to save its memory in a checkpoint;
/// PBGD's outer loop must allocate nothing and resume to the bit.</para>
/// <para>Details. Active set: x_i − γ g_i ≤ l_i with g_i &gt; 0 (or the mirror at u_i), i.e. Bertsekas's ε-active set
/// with a per-coordinate band ε_i = γ|g_i| that is scale-free and shrinks to the true active set at a
/// nondegenerate solution. The two-loop recursion runs over the free coordinates only, skipping (for this
/// iteration) a pair whose restricted sᵀy is not positive, so the reduced metric stays positive definite and
/// d is a descent direction; components that would push a variable already on its bound outward are zeroed
/// (the projection would cancel them anyway, and dropping them only adds descent). Line search: if the unit
/// step stays inside the box, a strong-Wolfe search with zoom (Nocedal–Wright 3.5/3.6, cubic interpolation) on
/// the straight segment up to the first bound, so curvature pairs are good; otherwise Armijo backtracking along
/// the bent path, sufficient decrease measured against the projected step, f(x(α)) ≤ f + c₁ gᵀ(x(α) − x), with a
/// safeguarded quadratic step. A non-finite trial is a failed trial (halve). If d is not a descent direction
/// (rounding, overflow), the memory and its scale are cleared and a unit-length projected steepest-descent step is
/// taken.</para>
/// </remarks>
public sealed partial class ProjectedLbfgs : BoxMinimizer
{
    private readonly int _m;
    private readonly double[] _s, _y;     // pairs, one row of n per slot, ring buffer
    private readonly double[] _alpha;     // two-loop coefficients per slot
    private readonly double[] _rho;       // 1/(s_Fᵀy_F) per slot for this iteration; 0 = skipped
    private readonly double[] _d;         // search direction: x(α) = P(x − α d)
    private readonly double[] _xt, _gt;   // trial point
    private readonly double[] _xb, _gb;   // best Armijo point of the Wolfe search
    private readonly bool[] _free;
    private int _newest, _count;
    private double _gamma = 1;
    private bool _resolveByGradient;      // this iteration's decrease is below f's resolution (see Rise)

    /// <summary>A minimiser of <paramref name="objective"/> on <paramref name="box"/>; buffers allocated here.</summary>
    /// <param name="objective">The function to minimise.</param>
    /// <param name="box">Bounds with the objective's dimension.</param>
    /// <param name="options">Options (null: defaults).</param>
    public ProjectedLbfgs(IDifferentiableObjective objective, Box box, BoxMinimizerOptions? options = null)
        : base(objective, box, options ?? new BoxMinimizerOptions())
    {
        int n = Dimension;
        _m = Options.Memory;
        _s = new double[_m * n];
        _y = new double[_m * n];
        _alpha = new double[_m];
        _rho = new double[_m];
        _d = new double[n];
        _xt = new double[n];
        _gt = new double[n];
        _xb = new double[n];
        _gb = new double[n];
        _free = new bool[n];
        _newest = _m - 1;
    }

    /// <summary>Curvature pairs currently held.</summary>
    public int PairCount => _count;

    /// <inheritdoc/>
    protected override void OnStart(bool initial, bool resetMemory)
    {
        if (resetMemory) ClearMemory();
        if (initial) _gamma = Options.InitialStep ?? UnitStepScaling();
    }

    /// <summary>
    /// The scaling γ = 1/‖x − P(x − g)‖₂ used before any curvature is known: the first step then has about unit
    /// length (modest, and the Wolfe search extends it while f keeps falling steeply).
    /// </summary>
    private double UnitStepScaling()
    {
        double sum = 0;
        var x = Point;
        var g = Gradient;
        for (int i = 0; i < x.Length; i++)
        {
            double r = x[i] - Box.Clamp(x[i] - g[i], i);
            sum += r * r;
        }
        double gamma = 1 / Math.Sqrt(sum);
        return double.IsFinite(gamma) && gamma > 0 ? gamma : 1;
    }

    /// <inheritdoc/>
    protected override bool TryStep(out double stepLength)
    {
        stepLength = 0;
        double slope = ComputeDirection();
        if (!(slope > 0 && double.IsFinite(slope)))
        {
            // Only rounding or overflow gets here (the restricted recursion keeps the metric positive definite):
            // forget the pairs and their scale, and take a unit-length projected steepest-descent step.
            ClearMemory();
            _gamma = UnitStepScaling();
            CountMemoryReset();
            slope = ComputeDirection();
            if (!(slope > 0 && double.IsFinite(slope))) return false;
        }
        _resolveByGradient = slope <= Options.RelativeValueNoise * Math.Abs(Value);
        double breakpoint = FirstBreakpoint();
        bool found = breakpoint >= 1
            ? WolfeSearch(breakpoint, slope, out stepLength, out double value)
            : PathSearch(out stepLength, out value);
        if (!found) return false;
        UpdateMemory();
        Accept(_xt, _gt, value);
        return true;
    }

    /// <summary>Writes d and returns gᵀd (positive for a descent direction).</summary>
    private double ComputeDirection()
    {
        var x = Point;
        var g = Gradient;
        var lower = Box.Lower;
        var upper = Box.Upper;
        int n = x.Length;
        double gamma = _gamma;
        for (int i = 0; i < n; i++)
        {
            double t = x[i] - gamma * g[i];
            bool active = (g[i] > 0 && t <= lower[i]) || (g[i] < 0 && t >= upper[i]);
            _free[i] = !active;
            _d[i] = active ? 0 : g[i];
        }
        // Two-loop recursion on the free coordinates (q = d, zero on the active ones), newest to oldest...
        int slot = _newest;
        for (int k = 0; k < _count; k++, slot = slot == 0 ? _m - 1 : slot - 1)
        {
            var s = _s.AsSpan(slot * n, n);
            var y = _y.AsSpan(slot * n, n);
            double sy = 0, yy = 0, sq = 0;
            for (int i = 0; i < n; i++)
            {
                if (!_free[i]) continue;
                sy += s[i] * y[i];
                yy += y[i] * y[i];
                sq += s[i] * _d[i];
            }
            // Restricted to the free set a stored pair may lose its positive curvature: skip it this time.
            if (!(sy > Options.CurvatureSkipThreshold * yy && sy > 0))
            {
                _rho[slot] = 0;
                continue;
            }
            _rho[slot] = 1 / sy;
            double a = sq / sy;
            _alpha[slot] = a;
            for (int i = 0; i < n; i++)
                if (_free[i]) _d[i] -= a * y[i];
        }
        for (int i = 0; i < n; i++) _d[i] *= gamma;
        // ...and oldest to newest.
        slot = (_newest - _count + 1 + _m) % _m;
        for (int k = 0; k < _count; k++, slot = slot == _m - 1 ? 0 : slot + 1)
        {
            if (_rho[slot] == 0) continue;
            var s = _s.AsSpan(slot * n, n);
            var y = _y.AsSpan(slot * n, n);
            double yr = 0;
            for (int i = 0; i < n; i++)
                if (_free[i]) yr += y[i] * _d[i];
            double c = _alpha[slot] - _rho[slot] * yr;
            for (int i = 0; i < n; i++)
                if (_free[i]) _d[i] += c * s[i];
        }
        double slope = 0;
        for (int i = 0; i < n; i++)
        {
            if (!_free[i]) _d[i] = gamma * g[i];
            if ((_d[i] > 0 && x[i] <= lower[i]) || (_d[i] < 0 && x[i] >= upper[i])) _d[i] = 0;
            slope += g[i] * _d[i];
        }
        return slope;
    }

    /// <summary>The smallest α &gt; 0 at which x − α d meets a bound (+∞ if none).</summary>
    private double FirstBreakpoint()
    {
        var x = Point;
        var lower = Box.Lower;
        var upper = Box.Upper;
        double t = double.PositiveInfinity;
        for (int i = 0; i < x.Length; i++)
        {
            double ti = _d[i] > 0 ? (x[i] - lower[i]) / _d[i] : _d[i] < 0 ? (x[i] - upper[i]) / _d[i] : double.PositiveInfinity;
            if (ti < t) t = ti;
        }
        return t;
    }

    /// <summary>Stores the accepted step's pair unless its curvature is not positive enough.</summary>
    private void UpdateMemory()
    {
        var x = Point;
        var g = Gradient;
        int n = x.Length;
        double sy = 0, yy = 0;
        for (int i = 0; i < n; i++)
        {
            double s = _xt[i] - x[i], y = _gt[i] - g[i];
            sy += s * y;
            yy += y * y;
        }
        if (!(sy > Options.CurvatureSkipThreshold * yy && sy > 0 && double.IsFinite(sy / yy)))
        {
            CountSkippedPair();
            return;
        }
        int slot = _newest == _m - 1 ? 0 : _newest + 1;
        for (int i = 0; i < n; i++)
        {
            _s[slot * n + i] = _xt[i] - x[i];
            _y[slot * n + i] = _gt[i] - g[i];
        }
        _newest = slot;
        if (_count < _m) _count++;
        _gamma = sy / yy;
    }

    private void ClearMemory()
    {
        _count = 0;
        _newest = _m - 1;
    }

    /// <inheritdoc/>
    public override ProjectedLbfgsState SaveState()
    {
        RequireStarted();
        return new ProjectedLbfgsState
        {
            Point = Point.ToArray(),
            Gradient = Gradient.ToArray(),
            Value = Value,
            InitialProjectedGradientNorm = InitialProjectedGradientNorm,
            Counts = Counts,
            Status = Status,
            Criterion = Result.Criterion,
            Steps = (double[])_s.Clone(),
            GradientChanges = (double[])_y.Clone(),
            Newest = _newest,
            Count = _count,
            Scaling = _gamma,
        };
    }

    /// <inheritdoc/>
    public override void Restore(MinimizerState state)
    {
        CheckCommonState(state);
        if (state is not ProjectedLbfgsState s)
            throw new ArgumentException($"A {state.GetType().Name} cannot be restored into ProjectedLbfgs.", nameof(state));
        if (s.Steps is null || s.GradientChanges is null || s.Steps.Length != _s.Length || s.GradientChanges.Length != _y.Length)
            throw new ArgumentException($"The state's pairs must hold Memory × n = {_s.Length} entries (same Memory option).", nameof(state));
        if (s.Newest < 0 || s.Newest >= _m || s.Count < 0 || s.Count > _m)
            throw new ArgumentException($"The state's ring position {s.Newest}/{s.Count} does not fit Memory = {_m}.", nameof(state));
        if (!(s.Scaling > 0 && double.IsFinite(s.Scaling)))
            throw new ArgumentException($"The state's scaling {s.Scaling} must be finite and > 0.", nameof(state));
        RestoreCommonState(state);
        s.Steps.CopyTo(_s, 0);
        s.GradientChanges.CopyTo(_y, 0);
        (_newest, _count, _gamma) = (s.Newest, s.Count, s.Scaling);
    }
}
