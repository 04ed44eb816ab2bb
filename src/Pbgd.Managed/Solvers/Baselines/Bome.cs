using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;

namespace Pbgd.Solvers.Baselines;

/// <summary>
/// BOME (Liu et al. 2022), docs/algorithms.md §8: q(u, v) = g(u, v) − g(u, v^(T)) with v^(T) = T gradient steps on
/// g(u, ·) from v, held fixed when q is differentiated, so ∇q = (∇_u g(u, v) − ∇_u g(u, v^(T)), ∇_v g(u, v));
/// d = ∇f + λ∇q with λ = max(φ − ∇fᵀ∇q, 0)/‖∇q‖², φ = η‖∇q‖²; (u, v) ← (Proj(u − ξd_u), v − ξd_v).
/// </summary>
public sealed class Bome : BaselineSolver
{
    /// <summary>Creates the solver.</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="reportingOracle">Measures g*(u) for the reports (not part of the method).</param>
    /// <param name="options">Steps, T and η; null for the defaults.</param>
    public Bome(IBilevelProblem problem, ILowerLevelOracle reportingOracle, BaselineOptions? options = null)
        : base(problem, reportingOracle, options) { }

    /// <inheritdoc />
    public override string Name => "BOME";

    private protected override double InitialMultiplier => 0;

    private protected override StepOutcome Advance(BaselineState state)
    {
        state.V.AsSpan().CopyTo(state.Z);
        InnerSteps(state, state.Z); // v^(T), held fixed below
        Problem.Upper(state.U, state.V, state.GradFU, state.GradFV);
        Problem.Lower(state.U, state.V, state.GradGU, state.GradGV);
        Problem.Lower(state.U, state.Z, state.GradZU, Span<double>.Empty);
        state.Count(evaluations: 1);
        // ∇q = (∇_u g(u, v) − ∇_u g(u, v^(T)), ∇_v g(u, v)), with v^(T) held fixed.
        double qq = Blas.Dot(state.GradGV, state.GradGV), fq = Blas.Dot(state.GradFV, state.GradGV);
        for (int i = 0; i < state.U.Length; i++)
        {
            double qu = state.GradGU[i] - state.GradZU[i];
            qq += qu * qu;
            fq += state.GradFU[i] * qu;
        }
        double phi = Options.Eta * qq;
        double lambda = qq > 0 ? Math.Max(phi - fq, 0) / qq : 0;
        state.StepNorm = TakeStep(state, lambda, Options.UpperStep, Options.UpperStep);
        state.Step = Options.UpperStep;
        state.Multiplier = lambda;
        return StepOutcome.Moved;
    }
}
