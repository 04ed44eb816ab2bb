namespace Pbgd.Solvers;

/// <summary>Why a solver run ended.</summary>
public enum StopReason
{
    /// <summary>Every configured tolerance was met (see <see cref="SolverResult.Converged"/>).</summary>
    Converged,
    /// <summary>The iteration limit was reached.</summary>
    MaxIterations,
    /// <summary>The time budget ran out.</summary>
    TimeBudget,
    /// <summary>The cancellation token fired; the result holds the state reached.</summary>
    Cancelled,
    /// <summary>An iterate or objective became NaN or infinite; the result holds the last finite state.</summary>
    Diverged,
    /// <summary>RXGF's direction subproblem had no solution: ∇h = 0 while the relaxed constraint h ≤ ε was violated
    /// (docs/algorithms.md §7), so no direction can decrease h; the result holds the point where it happened.</summary>
    ConstraintQpInfeasible,
    /// <summary>A line search found no acceptable point within its backtracking limit (the direction is not one of
    /// descent at the precision the objective is evaluated to); the result holds the last accepted iterate.</summary>
    LineSearchFailed,
    /// <summary>A fixed step made the function it descends grow while staying finite (PBGD-B's gradient v-step: f + γg at
    /// fixed u rose more than 100·max(1, |start|) above its start, which no step below 2/ℓ allows; docs/algorithms.md,
    /// stopping rules): the step is too large. The result holds the point that step
    /// started from, whose gradient was not measured (NaN).</summary>
    Growing,
}

/// <summary>The tolerances a run met.</summary>
[Flags]
public enum ConvergenceCriteria
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>Projected-gradient norm of L_γ.</summary>
    Gradient = 1,
    /// <summary>Lower-level gap g − g*.</summary>
    LowerGap = 2,
    /// <summary>L_γ − min L_γ.</summary>
    PenalizedGap = 4,
    /// <summary>RXGF's squared KKT residual.</summary>
    Kkt = 8,
}
