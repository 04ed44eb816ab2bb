using Pbgd.LowerLevel;
using Pbgd.Problems;

namespace Pbgd.Solvers.Baselines;

/// <summary>
/// F²SA (Kwon et al. 2023), deterministic full-batch form of docs/algorithms.md §8, with an increasing multiplier λ_k:
/// <code>
/// z ← z − β∇_v g(u, z)                      (InnerSteps times)
/// v ← v − α(∇_v f + λ∇_v g)(u, v)
/// u ← Proj(u − ξ(∇_u f(u, v) + λ(∇_u g(u, v) − ∇_u g(u, z))))   (u and v from the same point)
/// </code>
/// </summary>
public sealed class F2sa : BaselineSolver
{
    /// <summary>Creates the solver.</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="reportingOracle">Measures g*(u) for the reports (not part of the method).</param>
    /// <param name="options">Steps and multiplier schedule; null for the defaults.</param>
    public F2sa(IBilevelProblem problem, ILowerLevelOracle reportingOracle, BaselineOptions? options = null)
        : base(problem, reportingOracle, options) { }

    /// <inheritdoc />
    public override string Name => "F2SA";

    private protected override double InitialMultiplier => Options.Multiplier.Gamma(0);

    // The step from iteration k uses λ_k.
    private protected override StepOutcome Advance(BaselineState state)
    {
        double lambda = Options.Multiplier.Gamma(state.Iteration);
        double scale = Options.ScaleStepsByInverseMultiplier ? 1.0 / Math.Max(1.0, lambda) : 1.0;
        InnerSteps(state, state.Z);
        Problem.Upper(state.U, state.V, state.GradFU, state.GradFV);
        Problem.Lower(state.U, state.V, state.GradGU, state.GradGV);
        Problem.Lower(state.U, state.Z, state.GradZU, Span<double>.Empty);
        state.Count(evaluations: 1);
        state.StepNorm = TakeStep(state, lambda, Options.UpperStep * scale, Options.LowerStep * scale);
        state.Step = Options.UpperStep * scale;
        state.Multiplier = lambda;
        return StepOutcome.Moved;
    }
}
