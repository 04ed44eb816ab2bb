using System.Text.Json;
using System.Text.Json.Nodes;
using Pbgd.Checkpoints;
using Pbgd.Distributed;
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
    private readonly BoxMinimizer _minimizer;
    private readonly UpperStepRule _rule;
    private readonly PbgdState _state;
    private readonly double[] _scratch;
    private readonly int _n;
    // The minimiser's vector (u, or (u, v) for PBGD-J) over processes: u's rows, then v, which every process holds.
    private readonly VectorLayout _layout;
    private bool _started;
    private double _lastStep;
    private long _countedBacktracks;

    internal LineSearchUpperStep(PbgdSolver solver, PbgdState state, UpperStepRule rule, PbgdOptions options, bool joint)
    {
        (_rule, _state, _n) = (rule, state, state.U.Length);
        _layout = solver.UpperLayout.Shard is { } shard
            ? VectorLayout.Rows(shard, joint ? state.V.Length : 0)
            : VectorLayout.Sequential(state.U.Length + (joint ? state.V.Length : 0));
        _objective = new PenalizedObjective(solver, state, joint, _layout);
        var box = UpperBox(solver.Problem, state.U.Length, joint ? state.V.Length : 0);
        // PBGD's loop owns the stopping rules: the minimiser never stops on its own except when its line search fails.
        var minimizerOptions = new BoxMinimizerOptions
        {
            MaxIterations = int.MaxValue, GradientTolerance = 0, RelativeGradientTolerance = 0, FunctionTolerance = 0,
            MaxBacktracks = options.MaxBacktracks, Memory = options.Memory,
        };
        _minimizer = rule == UpperStepRule.Lbfgs
            ? new ProjectedLbfgs(_objective, box, minimizerOptions)
            : new SpectralProjectedGradient(_objective, box, minimizerOptions);
        _scratch = new double[_objective.Dimension];
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
            _minimizer.Init(start);
            _started = true;
        }
        else if (gamma != _objective.Gamma)
        {
            // A γ ramp changes φ_γ: its value and gradient are measured again; the curvature pairs are kept, since the
            // reduced function's curvature changes little with γ (§3a).
            _objective.Gamma = gamma;
            _minimizer.Reevaluate(resetMemory: false);
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
        var status = _minimizer.Step();
        long backtracks = _minimizer.Counts.Backtracks;
        _state.Count(backtracks: backtracks - _countedBacktracks);
        _countedBacktracks = backtracks;
        if (status is Optimization.StopReason.LineSearchFailed or Optimization.StopReason.Diverged) return StepOutcome.Failed;
        _lastStep = StepLength();
        return StepOutcome.Moved;
    }

    // From the minimiser's own point and gradient, which a checkpoint restores, so a resumed run measures the same.
    private double ProjectedGradientNorm()
    {
        var terms = new ProjectedMoves(_minimizer.Point, _minimizer.Gradient, _minimizer.Box.Lower, _minimizer.Box.Upper);
        Span<double> sum = stackalloc double[1];
        UpperOnly.Sum(ref terms, sum);
        return Math.Sqrt(sum[0]);
    }

    // u's entries only (the projected-gradient measure is of the u-block).
    private VectorLayout UpperOnly => _upperOnly ??= _layout.Shard is { } shard ? VectorLayout.Rows(shard) : VectorLayout.Sequential(_n);
    private VectorLayout? _upperOnly;

    private readonly ref struct ProjectedMoves(ReadOnlySpan<double> u, ReadOnlySpan<double> d, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper) : IRangeSums
    {
        private readonly ReadOnlySpan<double> _u = u, _d = d, _lower = lower, _upper = upper;

        public void Add(int start, int end, scoped Span<double> sums)
        {
            double s = 0;
            for (int i = start; i < end; i++)
            {
                double moved = Math.Clamp(_u[i] - _d[i], _lower[i], _upper[i]) - _u[i];
                s += moved * moved;
            }
            sums[0] = s;
        }
    }

    // ‖x_{k+1} − x_k‖: the previous point is the measured one the loop saved before stepping.
    private double StepLength()
    {
        var terms = new StepSquares(_state.U, _state.PreviousU, _state.V, _state.PreviousV, _n);
        Span<double> sum = stackalloc double[1];
        _layout.Sum(ref terms, sum);
        return Math.Sqrt(sum[0]);
    }

    // Entries below n are u's, the rest v's (the joint step of PBGD-J).
    private readonly ref struct StepSquares(ReadOnlySpan<double> u, ReadOnlySpan<double> previousU, ReadOnlySpan<double> v, ReadOnlySpan<double> previousV, int n) : IRangeSums
    {
        private readonly ReadOnlySpan<double> _u = u, _pu = previousU, _v = v, _pv = previousV;

        public void Add(int start, int end, scoped Span<double> sums)
        {
            double s = 0;
            for (int i = start; i < end; i++) s += i < n ? Math.Pow(_u[i] - _pu[i], 2) : Math.Pow(_v[i - n] - _pv[i - n], 2);
            sums[0] = s;
        }
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
    internal sealed record State(bool Started, double Gamma, JsonNode? Minimizer, IterationRecord? Record, double[]? RecordPoint, double LastStep, long CountedBacktracks);

    internal JsonNode Save() => StateJson.ToNode(new State(_started, _objective.Gamma, _started ? SaveMinimizer() : null,
        _objective.HasLast ? _objective.LastRecord : null, _objective.HasLast ? (double[])_objective.LastPoint.Clone() : null, _lastStep, _countedBacktracks));

    private JsonNode? SaveMinimizer()
    {
        var saved = _minimizer.SaveState();
        return JsonSerializer.SerializeToNode(saved, saved.GetType(), StateJson.Options);
    }

    internal void Restore(JsonNode? node)
    {
        var s = StateJson.FromNode<State>(node, "the checkpoint's solverState.upperStep");
        (_started, _objective.Gamma, _lastStep, _countedBacktracks) = (s.Started, s.Gamma, s.LastStep, s.CountedBacktracks);
        if (s.Started)
        {
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
