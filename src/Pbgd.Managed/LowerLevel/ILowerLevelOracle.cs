namespace Pbgd.LowerLevel;

/// <summary>
/// Estimates ω ≈ v*(u) ∈ argmin_v g(u, v), from which the solvers take g*(u) ≈ g(u, ω) and, by Danskin,
/// ∇g*(u) ≈ ∇_u g(u, ω) (docs/algorithms.md §2).
/// </summary>
public interface ILowerLevelOracle
{
    /// <summary>A short name for logs and summaries ("exact", "iterative(T=1, warm)").</summary>
    string Name { get; }

    /// <summary>Whether ω is the exact minimiser (then g − g* is a gap, not an estimate).</summary>
    bool IsExact { get; }

    /// <summary>Updates ω toward v*(u). On entry ω holds the previous estimate, which warm starts use.</summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="omega">The estimate, updated in place.</param>
    /// <returns>What the oracle did.</returns>
    OracleReport Estimate(ReadOnlySpan<double> u, Span<double> omega);
}

/// <summary>What one oracle call did.</summary>
/// <param name="GradientSteps">Lower-level gradient steps taken (0 for an exact solve).</param>
/// <param name="Rank">Numerical rank of the lower-level design (-1 when unknown).</param>
/// <param name="FullRank">False when the exact solve fell back to the minimum-norm solution.</param>
public readonly record struct OracleReport(int GradientSteps, int Rank, bool FullRank);
