using Pbgd.Schedules;

namespace Pbgd.Solvers.Baselines;

/// <summary>Options of the F²SA and BOME baselines (docs/algorithms.md §8), deterministic full-batch versions.</summary>
public sealed record BaselineOptions
{
    /// <summary>F²SA: the increasing multiplier λ_k (a <see cref="PenaltySchedule"/>, usually a ramp). BOME: unused.</summary>
    public PenaltySchedule Multiplier { get; init; } = PenaltySchedule.LinearRamp(0, 100, 1000);
    /// <summary>Step ξ of the upper variable (x in the papers, u here).</summary>
    public double UpperStep { get; init; } = 0.01;
    /// <summary>F²SA: step α of the lower variable y (v here).</summary>
    public double LowerStep { get; init; } = 0.01;
    /// <summary>Step β of the auxiliary lower-level iterate (F²SA's z, BOME's y^(T)).</summary>
    public double InnerStep { get; init; } = 0.1;
    /// <summary>Inner gradient steps per iteration (F²SA's z-steps, BOME's T).</summary>
    public int InnerSteps { get; init; } = 1;
    /// <summary>F²SA: divide the u and v steps by max(1, λ_k), keeping them below 1/(ℓ_f + λℓ_g) as λ grows.</summary>
    public bool ScaleStepsByInverseMultiplier { get; init; } = true;
    /// <summary>BOME: η in φ = η‖∇q‖².</summary>
    public double Eta { get; init; } = 0.5;
    /// <summary>Iteration limit.</summary>
    public int MaxIterations { get; init; } = 10_000;
    /// <summary>Wall-clock budget (null: none).</summary>
    public TimeSpan? TimeBudget { get; init; }
    /// <summary>Record every k-th iteration.</summary>
    public int LogEvery { get; init; } = 1;
    /// <summary>Called after every measured iteration with its record and point (progress, time-to-target); must not keep the spans.</summary>
    public IterationObserver? Observer { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Multiplier, nameof(Multiplier));
        foreach (var (value, name) in new[] { (UpperStep, nameof(UpperStep)), (LowerStep, nameof(LowerStep)), (InnerStep, nameof(InnerStep)), (Eta, nameof(Eta)) })
            if (!(value > 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and > 0.");
        if (InnerSteps < 1) throw new ArgumentOutOfRangeException(nameof(InnerSteps), InnerSteps, "At least one inner step.");
        if (MaxIterations < 0) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be ≥ 0.");
        if (TimeBudget is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TimeBudget), t, "The time budget must be positive.");
        if (LogEvery < 1) throw new ArgumentOutOfRangeException(nameof(LogEvery), LogEvery, "LogEvery must be ≥ 1.");
    }
}
