using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;

namespace Pbgd.Solvers.Baselines;

/// <summary>
/// BOME (Liu et al. 2022), ALGORITHMS.md §8: q(u, v) = g(u, v) − g(u, v^(T)) with v^(T) = T gradient steps on
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
        for (int i = 0; i < U.Length; i++) GradGU[i] -= GradZU[i]; // ∇_u q
        double qq = Blas.Dot(GradGU, GradGU) + Blas.Dot(GradGV, GradGV);
        double fq = Blas.Dot(GradFU, GradGU) + Blas.Dot(GradFV, GradGV);
        double phi = Options.Eta * qq;
        _lambda = qq > 0 ? Math.Max(phi - fq, 0) / qq : 0;
        double sum = 0;
        for (int i = 0; i < U.Length; i++)
        {
            double d = GradFU[i] + _lambda * GradGU[i];
            sum += d * d;
            U[i] -= Options.UpperStep * d;
        }
        Problem.ProjectUpper(U);
        Blas.Axpy(_lambda, GradGV, GradFV);
        sum += Math.Pow(Blas.Nrm2(GradFV), 2);
        Blas.Axpy(-Options.UpperStep, GradFV, V);
        directionNorm = Math.Sqrt(sum);
        step = Options.UpperStep;
        return _lambda;
    }
}
