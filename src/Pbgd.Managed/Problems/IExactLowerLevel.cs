namespace Pbgd.Problems;

/// <summary>
/// A problem whose lower level can be solved exactly (e.g. weighted least squares through LAPACK): the basis
/// of the exact lower-level oracle (docs/algorithms.md §2).
/// </summary>
public interface IExactLowerLevel
{
    /// <summary>Writes v*(u) ∈ argmin_v g(u, v) (the minimum-norm one when S(u) is not a single point).</summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="vStar">Output, length of v.</param>
    /// <returns>How the solve went (solver, numerical rank).</returns>
    LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar);
}

/// <summary>
/// A problem for which argmin_v L_γ(u, v) = argmin_v f(u, v) + γ g(u, v) has a direct solution: PBGD-B then
/// takes its v-step exactly (docs/algorithms.md §3).
/// </summary>
public interface IExactPenalizedLowerLevel
{
    /// <summary>Writes argmin_v f(u, v) + γ·g(u, v).</summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="gamma">Penalty γ &gt; 0.</param>
    /// <param name="v">Output, length of v.</param>
    /// <returns>How the solve went.</returns>
    LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v);
}

/// <summary>Outcome of an exact solve.</summary>
/// <param name="Solver">The solver that produced the solution (after any fallback): a name of the least-squares registry
/// (normal, cg, qr, svd; see Pbgd.LeastSquares.LeastSquaresRegistry), or <see cref="ClosedForm"/>.</param>
/// <param name="Rank">Numerical rank of the design matrix (-1 when not computed).</param>
/// <param name="FullRank">Whether the design had full rank (so the solution is unique).</param>
public readonly record struct LowerSolveInfo(string Solver, int Rank, bool FullRank)
{
    /// <summary>A closed form specific to the problem.</summary>
    public const string ClosedForm = "closed-form";

    /// <summary>The minimum-norm solution by SVD (LAPACK gelsd), the name the least-squares registry gives that solver.</summary>
    public const string MinimumNorm = "svd";
}
