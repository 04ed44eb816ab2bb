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
    /// <returns>How the solve went (method, numerical rank).</returns>
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

/// <summary>How an exact solve was done.</summary>
public enum LowerSolveMethod
{
    /// <summary>Householder QR (LAPACK gels), full rank.</summary>
    Qr,
    /// <summary>SVD minimum-norm solution (LAPACK gelsd), rank-deficient or under-determined.</summary>
    MinimumNorm,
    /// <summary>Normal equations and Cholesky (conditioning checked).</summary>
    Cholesky,
    /// <summary>A closed form specific to the problem.</summary>
    ClosedForm,
    /// <summary>Preconditioned conjugate gradients, accepted on a backward-error check.</summary>
    ConjugateGradient,
}

/// <summary>Outcome of an exact solve.</summary>
/// <param name="Method">The method actually used (after any fallback).</param>
/// <param name="Rank">Numerical rank of the design matrix (-1 when not computed).</param>
/// <param name="FullRank">Whether the design had full rank (so the solution is unique).</param>
public readonly record struct LowerSolveInfo(LowerSolveMethod Method, int Rank, bool FullRank);
