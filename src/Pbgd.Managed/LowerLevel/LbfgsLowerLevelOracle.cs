using System.Text.Json.Nodes;
using Pbgd.Checkpoints;
using Pbgd.Optimization;
using Pbgd.Problems;

namespace Pbgd.LowerLevel;

/// <summary>
/// An oracle that solves min_v g(u, ·) to a residual tolerance, ‖∇_v g(u, ω)‖₂ ≤ tol, by L-BFGS warm-started from the
/// previous ω (docs/algorithms.md §2 and §3a). The tolerance is its own (<see cref="LbfgsOracleOptions.Tolerance"/>) unless a
/// solver sets one per call through <see cref="ITolerancedOracle"/>: PBGD's line-search upper steps tie it to the outer
/// gradient norm, so ∇g*(u) ≈ ∇_u g(u, ω) is accurate where the line search needs it and cheap far from a solution.
/// Every L-BFGS evaluation is one pass over the lower-level data and is reported as a gradient step
/// (<see cref="OracleReport.GradientSteps"/>), the same unit as the iterative oracle's steps. The L-BFGS memory is cleared
/// at every call (the curvature of g(u, ·) moves with u), so its state between calls is the tolerance alone: ω itself
/// travels in the solver's checkpoint.
/// </summary>
public sealed class LbfgsLowerLevelOracle : ILowerLevelOracle, ITolerancedOracle, IResumable
{
    private readonly LbfgsOracleOptions _options;
    private readonly LowerObjective _objective;
    private readonly InnerLbfgs _solver;
    private double _absolute, _relative;

    /// <summary>Creates the oracle; every buffer is allocated here.</summary>
    /// <param name="problem">The problem whose lower level is solved.</param>
    /// <param name="options">Tolerance, memory, step limit; null for the defaults.</param>
    public LbfgsLowerLevelOracle(IBilevelProblem problem, LbfgsOracleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        _options = options ?? new LbfgsOracleOptions();
        _options.Validate();
        _objective = new LowerObjective(problem);
        _solver = new InnerLbfgs(_objective, _options.Memory, _options.MaxBacktracks);
        (_absolute, _relative) = (_options.Tolerance, 0);
    }

    /// <inheritdoc />
    public string Name => FormattableString.Invariant($"lbfgs(tol={_options.Tolerance:G3}, m={_options.Memory}, warm)");

    /// <inheritdoc />
    public bool IsExact => false;

    /// <summary>The options.</summary>
    public LbfgsOracleOptions Options => _options;

    /// <inheritdoc />
    public double Floor => _options.Tolerance;

    /// <inheritdoc />
    public void SetTolerance(double absolute, double relative)
    {
        if (!(absolute >= 0) || !(relative >= 0 && relative < 1))
            throw new ArgumentOutOfRangeException(nameof(absolute), $"tolerances ({absolute}, {relative}) must be ≥ 0 (relative < 1).");
        (_absolute, _relative) = (Math.Max(absolute, _options.Tolerance), relative);
    }

    /// <summary>The residual ‖∇_v g(u, ω)‖₂ the last call reached (NaN before the first).</summary>
    public double LastResidual { get; private set; } = double.NaN;

    /// <inheritdoc />
    public OracleReport Estimate(ReadOnlySpan<double> u, Span<double> omega)
    {
        _objective.SetUpper(u);
        var (evaluations, residual) = _solver.Solve(omega, _absolute, _relative, _options.MaxIterations);
        LastResidual = residual;
        return new OracleReport(evaluations, -1, true);
    }

    /// <summary>What a checkpoint keeps: the tolerance the next call aims for (set by the solver before each call, saved
    /// so a resumed run's first call repeats the original's).</summary>
    /// <param name="Absolute">‖∇_v g‖₂ target.</param>
    /// <param name="Relative">Target relative to the residual at the warm start (0: off).</param>
    public sealed record State(double Absolute, double Relative);

    /// <inheritdoc />
    public JsonNode SaveState() => StateJson.ToNode(new State(_absolute, _relative));

    /// <inheritdoc />
    public void RestoreState(JsonNode state)
    {
        var s = StateJson.FromNode<State>(state, "the L-BFGS oracle's state");
        if (!(s.Absolute >= 0))
            throw new InvalidDataException($"the L-BFGS oracle's absolute tolerance is {s.Absolute}; it must be ≥ 0.");
        if (!(s.Relative >= 0 && s.Relative < 1))
            throw new InvalidDataException($"the L-BFGS oracle's relative tolerance is {s.Relative}; it must lie in [0, 1).");
        (_absolute, _relative) = (s.Absolute, s.Relative);
    }

    // g(u, ·) at the u of the current call (copied: the caller's span cannot be kept).
    private sealed class LowerObjective(IBilevelProblem problem) : IDifferentiableObjective
    {
        private readonly double[] _u = new double[problem.UpperDimension];

        public int Dimension => problem.LowerDimension;

        internal void SetUpper(ReadOnlySpan<double> u) => u.CopyTo(_u);

        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient) => problem.Lower(_u, x, Span<double>.Empty, gradient);
    }
}

/// <summary>
/// An oracle whose accuracy a solver can set per call: it solves min_v g(u, ·) until ‖∇_v g(u, ω)‖₂ ≤
/// max(absolute, relative·‖∇_v g(u, ω_start)‖₂), never below its own floor.
/// </summary>
public interface ITolerancedOracle
{
    /// <summary>The smallest absolute tolerance the oracle accepts (its own option).</summary>
    double Floor { get; }

    /// <summary>Sets the tolerance of the following calls.</summary>
    /// <param name="absolute">Residual target (raised to <see cref="Floor"/>; +∞: one evaluation, no step).</param>
    /// <param name="relative">Residual target relative to the warm start's residual, in [0, 1) (0: off).</param>
    void SetTolerance(double absolute, double relative);
}

/// <summary>Options of <see cref="LbfgsLowerLevelOracle"/>.</summary>
public sealed record LbfgsOracleOptions
{
    /// <summary>‖∇_v g(u, ω)‖₂ target when no solver sets one, and the floor below which a solver's request is raised
    /// (gradients computed in floating point stop resolving smaller residuals; single-precision data sooner).</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>L-BFGS curvature pairs kept within a call.</summary>
    public int Memory { get; init; } = 10;

    /// <summary>Accepted L-BFGS steps per call at most.</summary>
    public int MaxIterations { get; init; } = 500;

    /// <summary>Line-search trials per step before a call ends where it is (the rounding floor).</summary>
    public int MaxBacktracks { get; init; } = 20;

    internal void Validate()
    {
        if (!(Tolerance > 0 && double.IsFinite(Tolerance)))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "The tolerance must be finite and > 0.");
        if (Memory < 1) throw new ArgumentOutOfRangeException(nameof(Memory), Memory, "Memory must be ≥ 1.");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be ≥ 1.");
        if (MaxBacktracks < 1) throw new ArgumentOutOfRangeException(nameof(MaxBacktracks), MaxBacktracks, "MaxBacktracks must be ≥ 1.");
    }
}
