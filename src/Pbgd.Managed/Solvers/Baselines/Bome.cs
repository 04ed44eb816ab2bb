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

    private double _lambda;

    private protected override double StepAndMeasure(int k, out double directionNorm, out double step)
    {
        directionNorm = 0; // no step at k = 0 (the start is measured)
        step = 0;
        if (k == 0) return _lambda;
        V.AsSpan().CopyTo(Z);
        InnerSteps(Z); // v^(T), held fixed below
        Problem.Upper(U, V, GradFU, GradFV);
        Problem.Lower(U, V, GradGU, GradGV);
        Problem.Lower(U, Z, GradZU, Span<double>.Empty);
        // ∇q = (∇_u g(u, v) − ∇_u g(u, v^(T)), ∇_v g(u, v)), with v^(T) held fixed.
        double qq = Blas.Dot(GradGV, GradGV), fq = Blas.Dot(GradFV, GradGV);
        for (int i = 0; i < U.Length; i++)
        {
            double qu = GradGU[i] - GradZU[i];
            qq += qu * qu;
            fq += GradFU[i] * qu;
        }
        double phi = Options.Eta * qq;
        _lambda = qq > 0 ? Math.Max(phi - fq, 0) / qq : 0;
        directionNorm = TakeStep(_lambda, Options.UpperStep, Options.UpperStep);
        step = Options.UpperStep;
        return _lambda;
    }
}
