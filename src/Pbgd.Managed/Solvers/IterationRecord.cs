namespace Pbgd.Solvers;

/// <summary>
/// The measurements of one iteration, taken at the point the next step starts from: (u^k, v^k) for PBGD-J,
/// (u^k, v^{k+1}) after the v-step for PBGD-B.
/// </summary>
/// <param name="Iteration">k (accepted upper steps before this point).</param>
/// <param name="Seconds">Solver seconds since the run started (time spent only on reports excluded).</param>
/// <param name="Gamma">γ_k (the multiplier λ_k for F²SA, BOME and RXGF).</param>
/// <param name="StepSize">α_k used for the step from this point.</param>
/// <param name="Upper">f(u, v).</param>
/// <param name="Lower">g(u, v).</param>
/// <param name="LowerOptimal">g*(u) as the oracle estimates it, g(u, ω).</param>
/// <param name="Penalized">L_γ(u, v) = f + γ(g − g*).</param>
/// <param name="GradientNorm">Norm of the projected gradient (gradient mapping) of L_γ over both blocks.</param>
/// <param name="UpperBlockGradientNorm">Its u part.</param>
/// <param name="LowerBlockGradientNorm">Its v part, ‖∇_v L_γ‖.</param>
/// <param name="OracleResidual">‖∇_v g(u, ω)‖: how exact the oracle's ω is.</param>
/// <param name="OracleSteps">Lower-level gradient steps the oracle took this iteration.</param>
/// <param name="Rank">Numerical rank the exact oracle reported (-1 if unknown).</param>
/// <param name="KktResidual">The squared KKT residual of a constrained reformulation (RXGF, docs/algorithms.md §7); NaN for
/// solvers that have none.</param>
public readonly record struct IterationRecord(
    int Iteration, double Seconds, double Gamma, double StepSize, double Upper, double Lower, double LowerOptimal,
    double Penalized, double GradientNorm, double UpperBlockGradientNorm, double LowerBlockGradientNorm,
    double OracleResidual, int OracleSteps, int Rank, double KktResidual = double.NaN)
{
    /// <summary>The work done up to and including this point.</summary>
    public SolverCounts Counts { get; init; }

    /// <summary>g − g*: the lower-level gap (an estimate when the oracle is inexact).</summary>
    public double LowerGap => Lower - LowerOptimal;

    /// <summary>Whether f, g and L_γ were measured at this point (F²SA, BOME and RXGF measure them only at logged
    /// iterations and the last, because the report's g* can cost more than their step).</summary>
    public bool IsMeasured => !double.IsNaN(Upper);

    /// <summary>Whether every value is finite.</summary>
    public bool IsFinite => double.IsFinite(Upper) && double.IsFinite(Lower) && double.IsFinite(LowerOptimal)
                            && double.IsFinite(Penalized) && double.IsFinite(GradientNorm);
}
