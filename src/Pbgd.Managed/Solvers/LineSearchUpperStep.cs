using System.Text.Json;
using System.Text.Json.Nodes;
using Pbgd.Checkpoints;
using Pbgd.Native;
using Pbgd.Optimization;
using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// PBGD's upper step by a box-constrained minimiser with a line search (<see cref="UpperStepRule.Lbfgs"/>: projected
/// L-BFGS; <see cref="UpperStepRule.SpectralGradient"/>: SPG), docs/algorithms.md §3a. The minimiser sees PBGD's own
/// evaluation (<see cref="PenalizedObjective"/>); PBGD's loop keeps deciding when to stop, so the minimiser's own
/// tolerances are off and only a failed line search ends a run from here. The point PBGD measures after a step is the
/// line search's last trial, already evaluated: no extra evaluation per iteration.
/// </summary>
internal sealed class LineSearchUpperStep
{
    private readonly PenalizedObjective _objective;
    private readonly BoxMinimizerOptions _minimizerOptions;
    private readonly Box _box;
    // Built at the first measurement, when the smoothness estimate the first step derives from is known (or by Restore).
    private BoxMinimizer _minimizer = null!;
    private readonly UpperStepRule _rule;
    private readonly PbgdState _state;
    private readonly PbgdSolver _solver;
    private readonly bool _inexact;
    private readonly double _floorReference;
    private readonly double[] _scratch;
    private readonly int _n;
    private bool _started;
    private double _lastStep;
    private long _countedBacktracks;
    // Scales G in the inner tolerances; each line search that fails while the inner solves are above their floor divides
    // it by Tightening and retries (inexact gradients are the likely cause), for the rest of the run.
    private double _tightening = 1;
    private const double Tightening = 100;
    // The smallest G of the accepted points so far: the tolerances only tighten. A G that grows (a step into a steeper
    // region, or a run away on values made wrong by loose solves) must not loosen the solves that judge it.
    private double _smallestReference = double.PositiveInfinity;
    // A start (or new γ) whose inner residuals miss the tolerance of its own G is re-solved at most this many times.
    private const int SettleRounds = 4;
    // A residual up to this multiple of its tolerance passes the start's check (the last evaluation's own norms, in another
    // summation order than the inner solve's test, and G moves a little when the point is re-solved).
    private const double SettleSlack = 2;

    internal LineSearchUpperStep(PbgdSolver solver, PbgdState state, UpperStepRule rule, PbgdOptions options, bool joint)
    {
        (_rule, _state, _n, _solver) = (rule, state, state.U.Length, solver);
        _inexact = solver.HasInexactInnerSolves(state);
        // G below which the tolerance κG/γ would be under the floor anyway: tightening further cannot help.
        _floorReference = options.InnerToleranceFloor / options.InnerToleranceFactor;
        _objective = new PenalizedObjective(solver, state, joint);
        _box = UpperBox(solver.Problem, state.U.Length, joint ? state.V.Length : 0);
        // PBGD's loop owns the stopping rules: the minimiser never stops on its own except when its line search fails.
        _minimizerOptions = new BoxMinimizerOptions
        {
            MaxIterations = int.MaxValue, GradientTolerance = 0, RelativeGradientTolerance = 0, FunctionTolerance = 0,
            MaxBacktracks = options.MaxBacktracks, Memory = options.Memory,
        };
        _scratch = new double[_objective.Dimension];
    }

    // The first direction is scaled by the gradient rule's own step (§3: fixed, or c/(ℓ_f + γℓ_g), u-block constants for
    // PBGD-B), so the first line search starts at the papers' step and extends or shortens it, instead of starting at a
    // unit-length step that is orders of magnitude short on a box like hyper-cleaning's [−R, R]^N (each trial of PBGD-B
    // without an exact v-step costs inner solves).
    private void CreateMinimizer(double? initialStep)
    {
        var options = _minimizerOptions with { InitialStep = initialStep is { } a && a > 0 && double.IsFinite(a) ? a : null };
        _minimizer = _rule == UpperStepRule.Lbfgs
            ? new ProjectedLbfgs(_objective, _box, options)
            : new SpectralProjectedGradient(_objective, _box, options);
    }

    /// <summary>Measures the current point at γ: the record of the line search's accepted point when it is the last one
    /// evaluated (the usual case), else a fresh evaluation; a new γ re-evaluates (the objective changed).</summary>
    internal IterationRecord Measure(double gamma)
    {
        if (!_started)
        {
            _objective.Gamma = gamma;
            Span<double> start = _scratch;
            _state.U.CopyTo(start);
            if (start.Length > _n) _state.V.CopyTo(start[_n..]);
            CreateMinimizer(_solver.GradientRuleStep(_state, gamma));
            _minimizer.Init(start);
            _started = true;
            Settle();
        }
        else if (gamma != _objective.Gamma)
        {
            // A γ ramp changes φ_γ: its value and gradient are measured again; the curvature pairs are kept, since the
            // reduced function's curvature changes little with γ (§3a).
            _objective.Gamma = gamma;
            _minimizer.Reevaluate(resetMemory: false);
            Settle();
        }
        if (!_objective.LastWasAt(_minimizer.Point)) _objective.Evaluate(_minimizer.Point, _scratch);
        var r = _objective.LastRecord;
        // The stationarity measure of a box: the projected gradient with unit step, ‖P(u − d_u) − u‖, and ‖d_v‖.
        double projected = ProjectedGradientNorm();
        double normV = r.LowerBlockGradientNorm;
        return r with { StepSize = _lastStep, UpperBlockGradientNorm = projected, GradientNorm = Math.Sqrt(projected * projected + normV * normV) };
    }

    /// <summary>One line-search step from the current point.</summary>
    internal StepOutcome Advance()
    {
        // The minimiser's own tolerances are off, so it reports convergence only at an exactly zero projected gradient.
        if (_minimizer.Status is Optimization.StopReason.Converged) return StepOutcome.Stationary;
        var status = Optimization.StopReason.None;
        while (true)
        {
            // The inner tolerances of every trial of this search derive from the point it starts from.
            _state.InnerReference = Reference();
            status = _minimizer.Step();
            if (status is not Optimization.StopReason.LineSearchFailed || !_inexact || !(_state.InnerReference > _floorReference)) break;
            // The search failed with inner solves above their floor: the gradient may be too inexact for it. Measure the
            // point again with tighter solves and search again.
            _tightening /= Tightening;
            _state.InnerReference = Reference();
            _minimizer.Reevaluate(resetMemory: false);
        }
        long backtracks = _minimizer.Counts.Backtracks;
        _state.Count(backtracks: backtracks - _countedBacktracks);
        _countedBacktracks = backtracks;
        if (status is Optimization.StopReason.LineSearchFailed or Optimization.StopReason.Diverged) return StepOutcome.Failed;
        _lastStep = StepLength();
        return StepOutcome.Moved;
    }

    /// <summary>
    /// At a start (or after γ changed) the inner solves had no G to aim at (a relative reduction instead) or the old γ's:
    /// while the point's inner residuals miss the tolerances of its own G, solve them again at that G (warm, a few rounds).
    /// </summary>
    private void Settle()
    {
        if (!_inexact) return;
        for (int round = 0; round < SettleRounds; round++)
        {
            if (_minimizer.Status is Optimization.StopReason.Diverged) return;
            double reference = _tightening * Math.Min(_smallestReference, ReferenceNorm());
            if (_objective.LastWasAt(_minimizer.Point) && _solver.InnerResidualsWithin(_state, _objective.LastRecord, reference, SettleSlack)) break;
            _state.InnerReference = reference;
            _minimizer.Reevaluate(resetMemory: false);
        }
        _state.InnerReference = Reference();
    }

    // κ's G: the smallest projected-gradient norm of the accepted points so far (this one included), times the tightening.
    private double Reference()
    {
        double g = ReferenceNorm();
        if (g < _smallestReference) _smallestReference = g;
        return _tightening * _smallestReference;
    }

    // G: the projected-gradient norm of the minimiser's current point, over u (PBGD-B) or (u, v) (PBGD-J).
    private double ReferenceNorm()
    {
        double pu = ProjectedGradientNorm();
        if (_minimizer.Dimension == _n) return pu;
        var d = _minimizer.Gradient;
        double sum = pu * pu;
        for (int i = _n; i < d.Length; i++) sum += d[i] * d[i];
        return Math.Sqrt(sum);
    }

    // From the minimiser's own point and gradient, which a checkpoint restores, so a resumed run measures the same.
    private double ProjectedGradientNorm()
    {
        var u = _minimizer.Point;
        var d = _minimizer.Gradient;
        var box = _minimizer.Box;
        double sum = 0;
        for (int i = 0; i < _n; i++)
        {
            double moved = Math.Clamp(u[i] - d[i], box.Lower[i], box.Upper[i]) - u[i];
            sum += moved * moved;
        }
        return Math.Sqrt(sum);
    }

    // ‖x_{k+1} − x_k‖: the previous point is the measured one the loop saved before stepping.
    private double StepLength()
    {
        double sum = 0;
        for (int i = 0; i < _n; i++) sum += Math.Pow(_state.U[i] - _state.PreviousU[i], 2);
        if (_minimizer.Dimension > _n)
            for (int i = 0; i < _state.V.Length; i++) sum += Math.Pow(_state.V[i] - _state.PreviousV[i], 2);
        return Math.Sqrt(sum);
    }

    // U is a box for every problem whose projection is a clamp; read its bounds off by projecting ±∞, and check that
    // the projection of a point really is the clamp into them (else the minimisers' box logic would be wrong).
    private static Box UpperBox(IBilevelProblem problem, int n, int lowerDimension)
    {
        var lower = new double[n + lowerDimension];
        var upper = new double[n + lowerDimension];
        Array.Fill(lower, double.NegativeInfinity);
        Array.Fill(upper, double.PositiveInfinity);
        problem.ProjectUpper(lower.AsSpan(0, n));
        problem.ProjectUpper(upper.AsSpan(0, n));
        var probe = new double[n];
        for (int i = 0; i < n; i++) probe[i] = (i % 3 - 1) * 1e3 + 0.37 * i;
        var projected = (double[])probe.Clone();
        problem.ProjectUpper(projected);
        for (int i = 0; i < n; i++)
            if (double.IsNaN(lower[i]) || double.IsNaN(upper[i]) || projected[i] != Math.Clamp(probe[i], lower[i], upper[i]))
                throw new ArgumentException($"{problem.GetType().Name}'s feasible set U is not a box (its projection is not a clamp at coordinate {i}); the lbfgs and bb upper steps need one: use the gradient step.", nameof(problem));
        return new Box(lower, upper);
    }

    /// <summary>What a checkpoint keeps: the minimiser's state, the γ it minimises at, the accepted point's record and
    /// the last step length.</summary>
    /// <param name="Started">Whether the minimiser has been started.</param>
    /// <param name="Gamma">γ of the objective it minimises.</param>
    /// <param name="Minimizer">Its state.</param>
    /// <param name="Record">The record of the last evaluated point.</param>
    /// <param name="RecordPoint">That point.</param>
    /// <param name="LastStep">The last step's length.</param>
    /// <param name="CountedBacktracks">The minimiser's backtracks already added to the solver's counts.</param>
    /// <param name="InnerReference">G of the inexact inner solves' tolerances (NaN before the first accepted point).</param>
    /// <param name="Tightening">The factor on G after failed searches (1 until one fails).</param>
    /// <param name="SmallestReference">The smallest G of the accepted points so far (+∞ before the first).</param>
    internal sealed record State(bool Started, double Gamma, JsonNode? Minimizer, IterationRecord? Record, double[]? RecordPoint, double LastStep,
        long CountedBacktracks, double InnerReference = double.NaN, double Tightening = 1, double SmallestReference = double.PositiveInfinity);

    internal JsonNode Save() => StateJson.ToNode(new State(_started, _objective.Gamma, _started ? SaveMinimizer() : null,
        _objective.HasLast ? _objective.LastRecord : null, _objective.HasLast ? (double[])_objective.LastPoint.Clone() : null, _lastStep, _countedBacktracks,
        _state.InnerReference, _tightening, _smallestReference));

    private JsonNode? SaveMinimizer()
    {
        var saved = _minimizer.SaveState();
        return JsonSerializer.SerializeToNode(saved, saved.GetType(), StateJson.Options);
    }

    internal void Restore(JsonNode? node)
    {
        var s = StateJson.FromNode<State>(node, "the checkpoint's solverState.upperStep");
        if (!(s.Tightening > 0 && s.Tightening <= 1))
            throw new InvalidDataException($"the checkpoint's solverState.upperStep.tightening is {s.Tightening}; it must lie in (0, 1].");
        if (!(double.IsNaN(s.InnerReference) || s.InnerReference >= 0 && double.IsFinite(s.InnerReference)))
            throw new InvalidDataException($"the checkpoint's solverState.upperStep.innerReference is {s.InnerReference}; it must be finite and ≥ 0 (or NaN).");
        (_started, _objective.Gamma, _lastStep, _countedBacktracks) = (s.Started, s.Gamma, s.LastStep, s.CountedBacktracks);
        if (!(s.SmallestReference >= 0))
            throw new InvalidDataException($"the checkpoint's solverState.upperStep.smallestReference is {s.SmallestReference}; it must be ≥ 0 (or +∞).");
        (_state.InnerReference, _tightening, _smallestReference) = (s.InnerReference, s.Tightening, s.SmallestReference);
        if (s.Started)
        {
            CreateMinimizer(null); // the first step's scale only matters to Init, which a started run does not repeat
            var type = _rule == UpperStepRule.Lbfgs ? typeof(ProjectedLbfgsState) : typeof(SpectralProjectedGradientState);
            MinimizerState saved;
            try { saved = (MinimizerState)(s.Minimizer?.Deserialize(type, StateJson.Options) ?? throw new InvalidDataException("the checkpoint's solverState.upperStep.minimizer is missing.")); }
            catch (JsonException e) { throw new InvalidDataException($"the checkpoint's solverState.upperStep.minimizer is not readable: {e.Message}", e); }
            try { _minimizer.Restore(saved); }
            catch (ArgumentException e) { throw new InvalidDataException($"the checkpoint's solverState.upperStep.minimizer does not fit: {e.Message}", e); }
        }
        _objective.HasLast = s.Record is not null && s.RecordPoint is { } p && p.Length == _objective.Dimension;
        if (_objective.HasLast)
        {
            _objective.LastRecord = s.Record!.Value;
            s.RecordPoint!.CopyTo(_objective.LastPoint, 0);
        }
    }
}
