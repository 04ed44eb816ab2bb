using Pbgd.LowerLevel;
using Pbgd.Native;
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

    private protected override double StepAndMeasure(int k, out double directionNorm, out double step)
    {
        double lambda = Options.Multiplier.Gamma(Math.Max(0, k - 1));
        directionNorm = 0; // no step at k = 0 (the start is measured)
        step = 0;
        if (k == 0) return lambda;
        double scale = Options.ScaleStepsByInverseMultiplier ? 1.0 / Math.Max(1.0, lambda) : 1.0;
        InnerSteps(Z);
        Problem.Upper(U, V, GradFU, GradFV);
        Problem.Lower(U, V, GradGU, GradGV);
        Problem.Lower(U, Z, GradZU, Span<double>.Empty);
        directionNorm = TakeStep(lambda, Options.UpperStep * scale, Options.LowerStep * scale);
        step = Options.UpperStep * scale;
        return lambda;
    }
}
