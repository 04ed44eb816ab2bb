using Pbgd.Schedules;

namespace Pbgd.Solvers;

/// <summary>
/// Options of the PBGD solvers (docs/algorithms.md §3). Defaults derive the step from the problem's smoothness
/// estimates, α = <see cref="StepScale"/>/(ℓ_f + γℓ_g), so a user need not tune it.
/// </summary>
public sealed record PbgdOptions
{
    /// <summary>The penalty schedule γ_k. Default: constant γ = 10.</summary>
    public PenaltySchedule Penalty { get; init; } = PenaltySchedule.Constant(10);

    /// <summary>A fixed step α; null derives it from the smoothness estimates.</summary>
    public double? StepSize { get; init; }

    /// <summary>Multiplier c in the derived step α = c/(ℓ_f + γℓ_g).</summary>
    public double StepScale { get; init; } = 1.0;

    /// <summary>Multiply the step by min(1, 1/γ_k) (V-PBGD's rule with its γ ramp).</summary>
    public bool ScaleStepByInverseGamma { get; init; }

    /// <summary>Iteration limit (the number of u-steps).</summary>
    public int MaxIterations { get; init; } = 10_000;

    /// <summary>Wall-clock budget; null for none.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Stop when the norm of the projected gradient of L_γ is ≤ tol·(1 + |L_γ|); null to ignore.</summary>
    public double? GradientTolerance { get; init; }

    /// <summary>Stop when g − g* ≤ tol (an estimate with an inexact oracle); null to ignore.</summary>
    public double? LowerGapTolerance { get; init; }

    /// <summary>A known min L_γ (e.g. from <c>Pbgd.Certificates</c>) for <see cref="PenalizedGapTolerance"/>.</summary>
    public double? PenalizedReference { get; init; }

    /// <summary>Stop when L_γ − <see cref="PenalizedReference"/> ≤ tol; null to ignore.</summary>
    public double? PenalizedGapTolerance { get; init; }

    /// <summary>PBGD-B: take the v-step exactly when the problem can (<c>IExactPenalizedLowerLevel</c>).</summary>
    public bool ExactLowerStep { get; init; } = true;

    /// <summary>PBGD-B: warm-started gradient steps on L_γ(u, ·) per v-step when it is not exact.</summary>
    public int LowerStepIterations { get; init; } = 10;

    /// <summary>Record every k-th iteration in the history (the first and last are always recorded).</summary>
    public int LogEvery { get; init; } = 1;

    /// <summary>Called after every iteration's evaluation (progress display, extra metrics).</summary>
    public IterationObserver? Observer { get; init; }

    /// <summary>Hand a checkpoint to <see cref="Checkpoint"/> every k iterations (0: never, except at the stop).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Also hand one over when this much time has passed since the last (null: no time rule).</summary>
    public TimeSpan? CheckpointInterval { get; init; }

    /// <summary>Receives checkpoints (periodic, and the final state at the stop); writing them is up to it.</summary>
    public Action<PbgdCheckpoint>? Checkpoint { get; init; }

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the offending option.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Penalty, nameof(Penalty));
        if (StepSize is { } a && !(a > 0 && double.IsFinite(a)))
            throw new ArgumentOutOfRangeException(nameof(StepSize), a, "The step must be finite and > 0.");
        if (!(StepScale > 0 && double.IsFinite(StepScale)))
            throw new ArgumentOutOfRangeException(nameof(StepScale), StepScale, "StepScale must be finite and > 0.");
        if (MaxIterations < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be ≥ 0.");
        if (TimeBudget is { } t && t <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(TimeBudget), t, "The time budget must be positive.");
        Positive(GradientTolerance, nameof(GradientTolerance));
        Positive(LowerGapTolerance, nameof(LowerGapTolerance));
        Positive(PenalizedGapTolerance, nameof(PenalizedGapTolerance));
        if (PenalizedGapTolerance is not null && PenalizedReference is not { } r)
            throw new ArgumentException("PenalizedGapTolerance needs PenalizedReference (a known min L_γ).", nameof(PenalizedReference));
        if (PenalizedReference is { } reference && !double.IsFinite(reference))
            throw new ArgumentOutOfRangeException(nameof(PenalizedReference), reference, "The reference must be finite.");
        if (LowerStepIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(LowerStepIterations), LowerStepIterations, "At least one v-step iteration.");
        if (CheckpointEvery < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "CheckpointEvery must be ≥ 0.");
        if (CheckpointInterval is { } ci && ci <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), ci, "The checkpoint interval must be positive.");
        if (LogEvery < 1) throw new ArgumentOutOfRangeException(nameof(LogEvery), LogEvery, "LogEvery must be ≥ 1.");
    }

    private static void Positive(double? value, string name)
    {
        if (value is { } v && !(v > 0))
            throw new ArgumentOutOfRangeException(name, v, $"{name} must be > 0.");
    }
}
