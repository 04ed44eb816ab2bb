namespace Pbgd.Optimization;

/// <summary>Why a minimiser stopped (or <see cref="None"/> while it can still step).</summary>
public enum StopReason
{
    /// <summary>Not stopped: <see cref="BoxMinimizer.Step"/> will take another step.</summary>
    None,
    /// <summary>A convergence test passed; <see cref="MinimizationResult.Criterion"/> says which.</summary>
    Converged,
    /// <summary><see cref="BoxMinimizerOptions.MaxIterations"/> accepted iterations were taken.</summary>
    MaxIterations,
    /// <summary>
    /// No trial point met the acceptance test within <see cref="BoxMinimizerOptions.MaxBacktracks"/> rejections, or
    /// the step fell below the resolution of x. The last accepted point is kept. Typical causes: a gradient that does
    /// not match f, or a tolerance below what rounding in f can resolve.
    /// </summary>
    LineSearchFailed,
    /// <summary>The cancellation token fired between iterations (the state is intact: running again continues).</summary>
    Cancelled,
    /// <summary>f or ∇f is not finite at the current (start or re-evaluated) point, so no step can be measured.
    /// Trial points are never accepted with a non-finite value, so this cannot arise from a step.</summary>
    Diverged,
}

/// <summary>Which convergence test passed.</summary>
public enum ConvergenceCriterion
{
    /// <summary>None passed (the run did not converge).</summary>
    None,
    /// <summary>Projected-gradient norm ≤ <see cref="BoxMinimizerOptions.GradientTolerance"/>.</summary>
    ProjectedGradient,
    /// <summary>Projected-gradient norm ≤ <see cref="BoxMinimizerOptions.RelativeGradientTolerance"/> × its initial value.</summary>
    RelativeProjectedGradient,
    /// <summary>Relative decrease of f ≤ <see cref="BoxMinimizerOptions.FunctionTolerance"/>.</summary>
    FunctionDecrease,
}
