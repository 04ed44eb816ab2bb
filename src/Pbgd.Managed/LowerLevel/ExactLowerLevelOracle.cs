using Pbgd.Problems;

namespace Pbgd.LowerLevel;

/// <summary>The exact oracle: ω = v*(u) from the problem's own solver (one LAPACK solve for least squares).</summary>
public sealed class ExactLowerLevelOracle : ILowerLevelOracle
{
    private readonly IExactLowerLevel _lower;

    /// <summary>Creates the oracle for a problem that can solve its lower level exactly.</summary>
    /// <param name="problem">The problem; must implement <see cref="IExactLowerLevel"/>.</param>
    /// <exception cref="ArgumentException">The problem has no exact lower-level solver.</exception>
    public ExactLowerLevelOracle(IBilevelProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        _lower = problem.GetCapability<IExactLowerLevel>() ?? throw new ArgumentException(
            $"{problem.GetType().Name} has no exact lower-level solver (IExactLowerLevel); use the iterative oracle.",
            nameof(problem));
    }

    /// <inheritdoc />
    public string Name => "exact";

    /// <inheritdoc />
    public bool IsExact => true;

    /// <inheritdoc />
    public OracleReport Estimate(ReadOnlySpan<double> u, Span<double> omega)
    {
        var info = _lower.SolveLower(u, omega);
        return new OracleReport(0, info.Rank, info.FullRank);
    }
}
