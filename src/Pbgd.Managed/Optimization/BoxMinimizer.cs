namespace Pbgd.Optimization;

/// <summary>
/// The common machinery of the box-constrained minimisers: an explicit state machine (<see cref="Init"/>, then
/// <see cref="Step"/> or <see cref="Run"/>), stopping rules, honest work counts, and checkpoints that resume bit for
/// bit. Every buffer is allocated by the constructor, so stepping allocates no managed memory.
/// </summary>
/// <remarks>
/// Vector arithmetic is written as plain scalar loops on purpose: their summation order does not depend on
/// array alignment or length remainders, so a restored run repeats the original to the bit.
/// </remarks>
public abstract class BoxMinimizer
{
    private readonly double[] _x;
    private readonly double[] _g;
    private double _f = double.NaN;
    private double _pg = double.NaN;
    private double _pg0 = double.NaN;
    private int _iterations, _evaluations, _backtracks, _skippedPairs, _memoryResets, _extraEvaluations;
    private StopReason _status;
    private ConvergenceCriterion _criterion;
    private bool _started;

    /// <summary>Checks the arguments and allocates the common buffers.</summary>
    /// <param name="objective">The function to minimise.</param>
    /// <param name="box">Bounds with the objective's dimension.</param>
    /// <param name="options">Validated here (<see cref="BoxMinimizerOptions.Validate"/>).</param>
    protected BoxMinimizer(IDifferentiableObjective objective, Box box, BoxMinimizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(box);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (objective.Dimension < 1)
            throw new ArgumentException($"The objective's dimension is {objective.Dimension}.", nameof(objective));
        if (box.Dimension != objective.Dimension)
            throw new ArgumentException($"The box has {box.Dimension} coordinates, the objective {objective.Dimension}.", nameof(box));
        Objective = objective;
        Box = box;
        Options = options;
        Layout = objective.Layout ?? Pbgd.Distributed.VectorLayout.Sequential(objective.Dimension);
        if (Layout.Length != objective.Dimension)
            throw new ArgumentException($"The objective's layout has {Layout.Length} entries, the objective {objective.Dimension}.", nameof(objective));
        _x = new double[objective.Dimension];
        _g = new double[objective.Dimension];
    }

    /// <summary>The function being minimised.</summary>
    public IDifferentiableObjective Objective { get; }

    /// <summary>The bounds.</summary>
    public Box Box { get; }

    /// <summary>The (validated) options.</summary>
    public BoxMinimizerOptions Options { get; }

    /// <summary>How the vector is laid out over processes (one process: a plain vector); every sum, maximum and
    /// decision over it goes through it.</summary>
    protected Pbgd.Distributed.VectorLayout Layout { get; }

    /// <summary>‖x − P(x − g)‖∞ over every process's entries (NaN when any is).</summary>
    protected double ProjectedGradientNormOf(ReadOnlySpan<double> x, ReadOnlySpan<double> gradient) =>
        Layout.MaxOrNaN(Box.ProjectedGradientNorm(x, gradient));

    /// <summary>The number of variables n.</summary>
    public int Dimension => _x.Length;

    /// <summary>Called after every accepted iteration (not part of the saved state).</summary>
    public MinimizerObserver? Observer { get; set; }

    /// <summary>The current (last accepted) point.</summary>
    public ReadOnlySpan<double> Point => _x;

    /// <summary>∇f at <see cref="Point"/>.</summary>
    public ReadOnlySpan<double> Gradient => _g;

    /// <summary>f at <see cref="Point"/>.</summary>
    public double Value => _f;

    /// <summary>‖x − P(x − ∇f)‖∞ at <see cref="Point"/>.</summary>
    public double ProjectedGradientNorm => _pg;

    /// <summary>Why the minimiser stopped, or <see cref="StopReason.None"/> while it can step.</summary>
    public StopReason Status => _status;

    /// <summary>Work counts since <see cref="Init"/>.</summary>
    public MinimizerCounts Counts =>
        new(_iterations, _evaluations, _backtracks, _skippedPairs, _memoryResets, _extraEvaluations);

    /// <summary>The current outcome (its reason is <see cref="Status"/>).</summary>
    public MinimizationResult Result => MakeResult(_status);

    /// <summary>The projected-gradient norm at the start point.</summary>
    protected double InitialProjectedGradientNorm => _pg0;

    /// <summary>Starts a run: projects <paramref name="start"/> onto the box, evaluates f there, clears the counts
    /// and the method's memory. Status becomes <see cref="StopReason.Diverged"/> if f or ∇f is not finite there, or
    /// <see cref="StopReason.Converged"/> if the start already passes a gradient test.</summary>
    /// <param name="start">The start point (length n, finite entries; it may lie outside the box).</param>
    public void Init(ReadOnlySpan<double> start)
    {
        if (start.Length != Dimension)
            throw new ArgumentException($"start has {start.Length} entries, the objective {Dimension}.", nameof(start));
        for (int i = 0; i < start.Length; i++)
            if (!double.IsFinite(start[i]))
                throw new ArgumentException($"start[{i}] = {start[i]} is not finite.", nameof(start));
        Box.Project(start, _x);
        _iterations = _evaluations = _backtracks = _skippedPairs = _memoryResets = _extraEvaluations = 0;
        _started = true;
        bool finite = TryEvaluate(_x, _g, out _f);
        _pg = finite ? ProjectedGradientNormOf(_x, _g) : double.NaN;
        _pg0 = _pg;
        OnStart(initial: true, resetMemory: true);
        UpdateStatus(finite, previousValue: double.NaN);
    }

    /// <summary>Takes one iteration (a direction and a line search) unless already stopped.</summary>
    /// <returns>The status afterwards: <see cref="StopReason.None"/> if another step may follow.</returns>
    public StopReason Step()
    {
        RequireStarted();
        if (_status != StopReason.None) return _status;
        double previous = _f;
        if (!TryStep(out double stepLength))
        {
            _status = StopReason.LineSearchFailed;
            return _status;
        }
        _iterations++;
        _pg = ProjectedGradientNormOf(_x, _g);
        Observer?.Invoke(new MinimizerProgress(_iterations, _f, _pg, stepLength, _evaluations), _x, _g);
        UpdateStatus(finite: true, previous);
        return _status;
    }

    /// <summary>Steps until a stopping rule fires or <paramref name="cancellationToken"/> is cancelled (checked
    /// between iterations; a cancelled run can be continued by calling this again).</summary>
    /// <param name="cancellationToken">Stops the loop between iterations.</param>
    public MinimizationResult Run(CancellationToken cancellationToken = default)
    {
        RequireStarted();
        while (_status == StopReason.None)
        {
            if (cancellationToken.IsCancellationRequested) return MakeResult(StopReason.Cancelled);
            Step();
        }
        return MakeResult(_status);
    }

    /// <summary><see cref="Init"/>, <see cref="Run"/>, and a copy of the final point.</summary>
    /// <param name="start">The start point.</param>
    /// <param name="solution">Receives the final point (length n).</param>
    /// <param name="cancellationToken">Stops the loop between iterations.</param>
    public MinimizationResult Minimize(ReadOnlySpan<double> start, Span<double> solution, CancellationToken cancellationToken = default)
    {
        if (solution.Length != Dimension)
            throw new ArgumentException($"solution has {solution.Length} entries, the objective {Dimension}.", nameof(solution));
        Init(start);
        var result = Run(cancellationToken);
        _x.CopyTo(solution);
        return result;
    }

    /// <summary>Evaluates the objective at any point without touching the run's state (counted as an extra
    /// evaluation).</summary>
    /// <param name="x">The point (length n; not projected).</param>
    /// <param name="gradient">Receives ∇f(x).</param>
    /// <returns>f(x), as the objective returned it.</returns>
    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        if (x.Length != Dimension) throw new ArgumentException($"x has {x.Length} entries, the objective {Dimension}.", nameof(x));
        if (gradient.Length != Dimension)
            throw new ArgumentException($"gradient has {gradient.Length} entries, the objective {Dimension}.", nameof(gradient));
        _extraEvaluations++;
        _evaluations++;
        return Objective.Evaluate(x, gradient);
    }

    /// <summary>
    /// Re-evaluates f and ∇f at the current point, for an objective whose definition changed (e.g. a new penalty
    /// γ), and re-derives the status from them (a previous stop is cleared; the iteration limit still applies).
    /// SPG restarts its nonmonotone window; L-BFGS keeps its curvature pairs unless <paramref name="resetMemory"/>.
    /// </summary>
    /// <param name="resetMemory">Drop L-BFGS's curvature pairs (they describe the old objective).</param>
    public void Reevaluate(bool resetMemory = false)
    {
        RequireStarted();
        _extraEvaluations++;
        bool finite = TryEvaluate(_x, _g, out _f);
        _pg = finite ? ProjectedGradientNormOf(_x, _g) : double.NaN;
        OnStart(initial: false, resetMemory);
        UpdateStatus(finite, previousValue: double.NaN);
    }

    /// <summary>Copies out the state that determines the rest of the run (<see cref="MinimizerState"/>).</summary>
    public abstract MinimizerState SaveState();

    /// <summary>Copies <paramref name="state"/> (from <see cref="SaveState"/> of a minimiser of the same kind,
    /// objective, box and options) in; stepping then continues exactly as the saved run would have. The state is
    /// checked first: on an exception this minimiser is unchanged.</summary>
    /// <param name="state">The state to resume from.</param>
    public abstract void Restore(MinimizerState state);

    /// <summary>Resets the method's memory. <paramref name="initial"/>: called by <see cref="Init"/> (reset
    /// everything); otherwise by <see cref="Reevaluate"/>. The common state is set before the call.</summary>
    /// <param name="initial">Whether a new run starts.</param>
    /// <param name="resetMemory">Whether curvature information must be dropped.</param>
    protected abstract void OnStart(bool initial, bool resetMemory);

    /// <summary>One iteration: on success the new point has been passed to <see cref="Accept"/>.</summary>
    /// <param name="stepLength">The accepted line-search parameter.</param>
    /// <returns>False when the line search failed (the current point is then unchanged).</returns>
    protected abstract bool TryStep(out double stepLength);

    /// <summary>Makes (x, g, f) the current point (copies).</summary>
    protected void Accept(ReadOnlySpan<double> x, ReadOnlySpan<double> gradient, double value)
    {
        x.CopyTo(_x);
        gradient.CopyTo(_g);
        _f = value;
    }

    /// <summary>Evaluates a trial point (counted). False when f or any gradient entry is not finite.</summary>
    protected bool TryEvaluate(ReadOnlySpan<double> x, Span<double> gradient, out double value)
    {
        _evaluations++;
        value = Objective.Evaluate(x, gradient);
        // The value is global (the same on every process); the gradient's entries are this process's share.
        if (!double.IsFinite(value)) return false;
        bool finite = true;
        for (int i = 0; i < gradient.Length; i++)
            if (!double.IsFinite(gradient[i])) { finite = false; break; }
        return Layout.All(finite);
    }

    /// <summary>Adds rejected line-search trials to the count.</summary>
    protected void CountBacktracks(int rejected) => _backtracks += rejected;

    /// <summary>Counts a dropped curvature pair.</summary>
    protected void CountSkippedPair() => _skippedPairs++;

    /// <summary>Counts a memory reset.</summary>
    protected void CountMemoryReset() => _memoryResets++;

    /// <summary>Checks the common part of <paramref name="state"/> against this minimiser.</summary>
    protected void CheckCommonState(MinimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Point is null || state.Point.Length != Dimension || state.Gradient is null || state.Gradient.Length != Dimension)
            throw new ArgumentException($"The state's point and gradient must have {Dimension} entries.", nameof(state));
        for (int i = 0; i < Dimension; i++)
            if (!double.IsFinite(state.Point[i]))
                throw new ArgumentException($"The state's point[{i}] is not finite.", nameof(state));
        if (!Box.Contains(state.Point)) throw new ArgumentException("The state's point lies outside the box.", nameof(state));
        var c = state.Counts;
        if (c.Iterations < 0 || c.Evaluations < 0 || c.Backtracks < 0 || c.SkippedPairs < 0 || c.MemoryResets < 0 || c.ExtraEvaluations < 0)
            throw new ArgumentException("The state's counts must be ≥ 0.", nameof(state));
        if (!Enum.IsDefined(state.Status) || state.Status == StopReason.Cancelled || !Enum.IsDefined(state.Criterion))
            throw new ArgumentException($"The state's status {state.Status}/{state.Criterion} is not a resumable one.", nameof(state));
    }

    /// <summary>Copies the common part of a checked <paramref name="state"/> in.</summary>
    protected void RestoreCommonState(MinimizerState state)
    {
        state.Point.CopyTo(_x, 0);
        state.Gradient.CopyTo(_g, 0);
        _f = state.Value;
        _pg0 = state.InitialProjectedGradientNorm;
        _pg = state.Status == StopReason.Diverged ? double.NaN : ProjectedGradientNormOf(_x, _g);
        var c = state.Counts;
        (_iterations, _evaluations, _backtracks) = (c.Iterations, c.Evaluations, c.Backtracks);
        (_skippedPairs, _memoryResets, _extraEvaluations) = (c.SkippedPairs, c.MemoryResets, c.ExtraEvaluations);
        _status = state.Status;
        _criterion = state.Criterion;
        _started = true;
    }

    /// <summary>Throws unless <see cref="Init"/> or <see cref="Restore"/> has been called.</summary>
    protected void RequireStarted()
    {
        if (!_started) throw new InvalidOperationException("Call Init (or Restore) before stepping.");
    }

    private void UpdateStatus(bool finite, double previousValue)
    {
        _criterion = ConvergenceCriterion.None;
        _status = StopReason.None;
        if (!finite) _status = StopReason.Diverged;
        else if (_pg <= Options.GradientTolerance) Converge(ConvergenceCriterion.ProjectedGradient);
        else if (_pg <= Options.RelativeGradientTolerance * _pg0) Converge(ConvergenceCriterion.RelativeProjectedGradient);
        else if (Options.FunctionTolerance > 0 && !double.IsNaN(previousValue)
                 && previousValue - _f >= 0
                 && previousValue - _f <= Options.FunctionTolerance * Math.Max(Math.Max(Math.Abs(previousValue), Math.Abs(_f)), 1))
            Converge(ConvergenceCriterion.FunctionDecrease);
        else if (_iterations >= Options.MaxIterations) _status = StopReason.MaxIterations;
    }

    private void Converge(ConvergenceCriterion criterion)
    {
        _status = StopReason.Converged;
        _criterion = criterion;
    }

    private MinimizationResult MakeResult(StopReason reason) =>
        new(reason, reason == StopReason.Converged ? _criterion : ConvergenceCriterion.None, _f, _pg, Counts);
}
