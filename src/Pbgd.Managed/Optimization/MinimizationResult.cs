namespace Pbgd.Optimization;

/// <summary>
/// Work counts of a run. Every objective call is counted, so
/// <c>Evaluations = 1 + Iterations + Backtracks + ExtraEvaluations</c> (the 1 is the start point).
/// </summary>
/// <param name="Iterations">Accepted steps.</param>
/// <param name="Evaluations">Objective calls (each computes f and ∇f).</param>
/// <param name="Backtracks">Line-search trial points evaluated and not accepted (shrinks and, in L-BFGS's Wolfe
/// search, too-short steps that were extended).</param>
/// <param name="SkippedPairs">Curvature pairs dropped for sᵀy ≤ ε·yᵀy (SPG: sᵀy ≤ 0).</param>
/// <param name="MemoryResets">L-BFGS: times the memory was cleared because its direction was not a descent direction.</param>
/// <param name="ExtraEvaluations">Calls through <see cref="BoxMinimizer.Evaluate"/> and <see cref="BoxMinimizer.Reevaluate"/>.</param>
public readonly record struct MinimizerCounts(
    int Iterations, int Evaluations, int Backtracks, int SkippedPairs, int MemoryResets, int ExtraEvaluations);

/// <summary>The outcome of <see cref="BoxMinimizer.Run"/>: why it stopped, where, and at what cost. The point
/// itself is <see cref="BoxMinimizer.Point"/>.</summary>
/// <param name="Reason">Why the run stopped.</param>
/// <param name="Criterion">Which convergence test passed, when <paramref name="Reason"/> is <see cref="StopReason.Converged"/>.</param>
/// <param name="Value">f at the final point.</param>
/// <param name="ProjectedGradientNorm">‖x − P(x − ∇f)‖∞ at the final point.</param>
/// <param name="Counts">Work done since <see cref="BoxMinimizer.Init"/>.</param>
public readonly record struct MinimizationResult(
    StopReason Reason, ConvergenceCriterion Criterion, double Value, double ProjectedGradientNorm, MinimizerCounts Counts)
{
    /// <summary>Whether <see cref="Reason"/> is <see cref="StopReason.Converged"/>.</summary>
    public bool Converged => Reason == StopReason.Converged;
}

/// <summary>What an observer learns about an accepted iteration.</summary>
/// <param name="Iteration">The number of accepted steps so far (1 for the first).</param>
/// <param name="Value">f at the new point.</param>
/// <param name="ProjectedGradientNorm">‖x − P(x − ∇f)‖∞ at the new point.</param>
/// <param name="StepLength">The accepted line-search parameter.</param>
/// <param name="Evaluations">Objective calls so far.</param>
public readonly record struct MinimizerProgress(int Iteration, double Value, double ProjectedGradientNorm, double StepLength, int Evaluations);

/// <summary>
/// Called after every accepted iteration. The spans are the minimiser's own buffers: read them, do not keep them.
/// </summary>
/// <param name="progress">The iteration's numbers.</param>
/// <param name="point">The new point.</param>
/// <param name="gradient">∇f at the new point.</param>
public delegate void MinimizerObserver(in MinimizerProgress progress, ReadOnlySpan<double> point, ReadOnlySpan<double> gradient);
