namespace Pbgd.Optimization;

/// <summary>
/// Spectral projected gradient (Birgin–Martínez–Raydan 2000, SPG2): the direction d = P(x − λ∇f) − x with the
/// safeguarded Barzilai–Borwein step λ = sᵀs/sᵀy ∈ [λ_min, λ_max], and the Grippo–Lampariello–Lucidi nonmonotone
/// line search along x + α d, α ≤ 1: accept f(x + α d) ≤ max(last M accepted values) + c₁ gᵀ(x + α d − x).
/// </summary>
/// <remarks>
/// One evaluation per iteration in the common case and no memory beyond two vectors, so it suits objectives
/// whose values are cheap. The nonmonotone window lets BB's long steps through (they are what makes it fast);
/// M = 1 makes the search monotone. It is no match for <see cref="ProjectedLbfgs"/> on ill-conditioned problems
/// (measured on 6-D quadratics of condition 1e6: tens of thousands of iterations against L-BFGS's tens), so
/// prefer L-BFGS for φ_γ unless evaluations are cheap and the curvature mild. Where sᵀy ≤ 0 the BB step is undefined; instead of BMR's λ_max (a step of
/// arbitrary size on an unbounded box) λ restarts at the initial 1/‖P(x − g) − x‖∞ (a unit step), counted as
/// a skipped pair.
/// </remarks>
public sealed class SpectralProjectedGradient : BoxMinimizer
{
    private readonly int _window;
    private readonly double[] _recent;   // ring of the last accepted values
    private readonly double[] _d, _xt, _gt;
    private int _newest, _count;
    private double _lambda = 1;

    /// <summary>A minimiser of <paramref name="objective"/> on <paramref name="box"/>; buffers allocated here.</summary>
    /// <param name="objective">The function to minimise.</param>
    /// <param name="box">Bounds with the objective's dimension.</param>
    /// <param name="options">Options (null: defaults).</param>
    public SpectralProjectedGradient(IDifferentiableObjective objective, Box box, BoxMinimizerOptions? options = null)
        : base(objective, box, options ?? new BoxMinimizerOptions())
    {
        _window = Options.NonmonotoneWindow;
        _recent = new double[_window];
        _d = new double[Dimension];
        _xt = new double[Dimension];
        _gt = new double[Dimension];
    }

    /// <summary>The spectral step λ the next iteration will use.</summary>
    public double SpectralStep => _lambda;

    /// <inheritdoc/>
    protected override void OnStart(bool initial, bool resetMemory)
    {
        // The window's values belong to the objective they were measured with: always restart it.
        _count = 1;
        _newest = 0;
        _recent[0] = Value;
        if (initial && Options.InitialStep is { } first) _lambda = Math.Clamp(first, Options.SpectralStepMin, Options.SpectralStepMax);
        else if (initial || resetMemory) _lambda = RestartStep();
    }

    /// <inheritdoc/>
    protected override bool TryStep(out double stepLength)
    {
        var x = Point;
        var g = Gradient;
        int n = x.Length;
        for (int i = 0; i < n; i++) _d[i] = Box.Clamp(x[i] - _lambda * g[i], i) - x[i];
        var slopeTerms = new DotTerms(g, _d);
        double slope = Layout.Sum(ref slopeTerms);
        stepLength = 0;
        if (!(slope < 0)) return false;
        double reference = _recent[0];
        for (int k = 1; k < _count; k++)
            if (_recent[k] > reference) reference = _recent[k];
        double f0 = Value, c1 = Options.ArmijoConstant, alpha = 1;
        int budget = 1 + Options.MaxBacktracks;
        for (int trials = 0; trials < budget; trials++)
        {
            bool moved = false;
            for (int i = 0; i < n; i++)
            {
                // x + αd stays in the box by convexity; the clamp only removes rounding.
                _xt[i] = Box.Clamp(x[i] + alpha * _d[i], i);
                moved |= _xt[i] != x[i];
            }
            moved = Layout.Any(moved);
            var decreaseTerms = new DecreaseTerms(g, _xt, x);
            double decrease = Layout.Sum(ref decreaseTerms);
            if (!moved)
            {
                CountBacktracks(trials);
                return false;
            }
            bool finite = TryEvaluate(_xt, _gt, out double value);
            if (finite && decrease < 0 && value <= reference + c1 * decrease)
            {
                CountBacktracks(trials);
                stepLength = alpha;
                UpdateSpectralStep();
                Accept(_xt, _gt, value);
                Remember(value);
                return true;
            }
            alpha = finite && decrease < 0 ? Interpolate(alpha, value - f0, decrease) : 0.5 * alpha;
        }
        CountBacktracks(budget);
        return false;
    }

    /// <summary>BMR's safeguarded quadratic step: its minimiser if it lies in [0.1α, 0.9α], else α/2.</summary>
    internal static double Interpolate(double alpha, double rise, double decrease)
    {
        double slope = decrease / alpha;
        double t = -slope * alpha * alpha / (2 * (rise - slope * alpha));
        return t >= 0.1 * alpha && t <= 0.9 * alpha ? t : 0.5 * alpha;
    }

    private void UpdateSpectralStep()
    {
        var pair = new StepPairTerms(_xt, Point, _gt, Gradient, squaresOfSteps: true);
        Span<double> sums = stackalloc double[2];
        Layout.Sum(ref pair, sums);
        double ss = sums[0], sy = sums[1];
        if (!(sy > 0))
        {
            CountSkippedPair();
            _lambda = RestartStep(_xt, _gt);
            return;
        }
        _lambda = Math.Clamp(ss / sy, Options.SpectralStepMin, Options.SpectralStepMax);
    }

    private double RestartStep() => RestartStep(Point, Gradient);

    /// <summary>BMR's initial step 1/‖P(x − g) − x‖∞, safeguarded.</summary>
    private double RestartStep(ReadOnlySpan<double> x, ReadOnlySpan<double> g)
    {
        double norm = ProjectedGradientNormOf(x, g);
        double lambda = 1 / norm;
        return double.IsFinite(lambda) ? Math.Clamp(lambda, Options.SpectralStepMin, Options.SpectralStepMax) : 1;
    }

    private void Remember(double value)
    {
        _newest = _newest == _window - 1 ? 0 : _newest + 1;
        _recent[_newest] = value;
        if (_count < _window) _count++;
    }

    /// <inheritdoc/>
    public override SpectralProjectedGradientState SaveState()
    {
        RequireStarted();
        return new SpectralProjectedGradientState
        {
            Point = Point.ToArray(),
            Gradient = Gradient.ToArray(),
            Value = Value,
            InitialProjectedGradientNorm = InitialProjectedGradientNorm,
            Counts = Counts,
            Status = Status,
            Criterion = Result.Criterion,
            SpectralStep = _lambda,
            RecentValues = (double[])_recent.Clone(),
            Newest = _newest,
            Count = _count,
        };
    }

    /// <inheritdoc/>
    public override void Restore(MinimizerState state)
    {
        CheckCommonState(state);
        if (state is not SpectralProjectedGradientState s)
            throw new ArgumentException($"A {state.GetType().Name} cannot be restored into SpectralProjectedGradient.", nameof(state));
        if (s.RecentValues is null || s.RecentValues.Length != _window)
            throw new ArgumentException($"The state's window must hold {_window} values (same NonmonotoneWindow option).", nameof(state));
        if (s.Newest < 0 || s.Newest >= _window || s.Count < 1 || s.Count > _window)
            throw new ArgumentException($"The state's ring position {s.Newest}/{s.Count} does not fit NonmonotoneWindow = {_window}.", nameof(state));
        if (!(s.SpectralStep > 0 && double.IsFinite(s.SpectralStep)))
            throw new ArgumentException($"The state's spectral step {s.SpectralStep} must be finite and > 0.", nameof(state));
        RestoreCommonState(state);
        s.RecentValues.CopyTo(_recent, 0);
        (_newest, _count, _lambda) = (s.Newest, s.Count, s.SpectralStep);
    }
}
