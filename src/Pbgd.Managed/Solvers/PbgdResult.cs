using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>A PBGD run's result: the common core plus PBGD's own facts.</summary>
public sealed class PbgdResult : SolverResult
{
    internal PbgdResult(SolverResultCore core, double finalGamma, Smoothness smoothness) : base(core) =>
        (FinalGamma, Smoothness) = (finalGamma, smoothness);

    /// <summary>γ at the returned point.</summary>
    public double FinalGamma { get; }

    /// <summary>The smoothness estimate the derived steps used (the last one, for local estimates).</summary>
    public Smoothness Smoothness { get; }
}
