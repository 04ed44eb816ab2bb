using System.Text.Json.Nodes;
using Pbgd.Checkpoints;
using Pbgd.Native;
using Pbgd.Problems;

namespace Pbgd.LowerLevel;

/// <summary>
/// The papers' oracle: T gradient steps ω ← ω − β∇_v g(u, ω), cold- or warm-started (docs/algorithms.md §2).
/// An inexact ω can turn the u-step into an ascent direction, so the solvers measure and log the residual
/// ‖∇_v g(u, ω)‖ at the returned ω.
/// </summary>
public sealed class IterativeLowerLevelOracle : ILowerLevelOracle, IResumable
{
    private readonly IBilevelProblem _problem;
    private readonly IterativeOracleOptions _options;
    private readonly double[] _gradV;
    private double _beta = double.NaN;
    private bool _localSmoothness;

    /// <summary>Creates the oracle.</summary>
    /// <param name="problem">The problem whose lower level is approximated.</param>
    /// <param name="options">Step, step count, start; null for the defaults.</param>
    public IterativeLowerLevelOracle(IBilevelProblem problem, IterativeOracleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        _problem = problem;
        _options = options ?? new IterativeOracleOptions();
        _options.Validate();
        _gradV = new double[problem.LowerDimension];
    }

    /// <inheritdoc />
    public string Name => FormattableString.Invariant(
        $"iterative(T={_options.StepsPerCall}{(_options.Tolerance is { } t ? $", tol={t}" : "")}, {(_options.WarmStart ? "warm" : "cold")})");

    /// <inheritdoc />
    public bool IsExact => false;

    /// <summary>The step β in use (NaN until the first call derives it).</summary>
    public double StepSize => _beta;

    /// <summary>What a checkpoint keeps: the derived step (NaN before the first call) and whether it is re-derived per call.</summary>
    /// <param name="StepSize">β in use.</param>
    /// <param name="LocalSmoothness">Whether the problem's estimates are local (re-derived every call).</param>
    public sealed record State(double StepSize, bool LocalSmoothness);

    /// <inheritdoc />
    public JsonNode SaveState() => StateJson.ToNode(new State(_beta, _localSmoothness));

    /// <inheritdoc />
    public void RestoreState(JsonNode state)
    {
        var s = StateJson.FromNode<State>(state, "the iterative oracle's state");
        if (!(double.IsNaN(s.StepSize) || s.StepSize > 0 && double.IsFinite(s.StepSize)))
            throw new InvalidDataException($"the iterative oracle's stepSize is {s.StepSize}; it must be finite and > 0.");
        (_beta, _localSmoothness) = (s.StepSize, s.LocalSmoothness);
    }

    /// <inheritdoc />
    public OracleReport Estimate(ReadOnlySpan<double> u, Span<double> omega)
    {
        if (!_options.WarmStart) omega.Clear();
        if (_options.StepSize is { } fixedBeta) _beta = fixedBeta;
        else if (double.IsNaN(_beta) || _localSmoothness)
        {
            // Local estimates (bilinear models) are refreshed every call; global ones once.
            var smoothness = _problem.EstimateSmoothness(u, omega);
            _beta = 1.0 / smoothness.LowerInV;
            _localSmoothness = smoothness.IsLocal;
        }

        int budget = _options.Tolerance is null ? _options.StepsPerCall : Math.Max(_options.StepsPerCall, _options.MaxSteps);
        int steps = 0;
        for (; steps < budget; steps++)
        {
            _problem.Lower(u, omega, Span<double>.Empty, _gradV);
            if (_options.Tolerance is { } tol && Blas.Nrm2(_gradV) <= tol) break;
            Blas.Axpy(-_beta, _gradV, omega);
        }
        return new OracleReport(steps, -1, true);
    }
}
