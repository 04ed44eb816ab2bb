using Pbgd.Schedules;

namespace Pbgd.Solvers.Baselines;

/// <summary>Options of the F²SA and BOME baselines (docs/algorithms.md §8), deterministic full-batch versions.</summary>
public sealed record BaselineOptions : SolverOptions
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

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Multiplier is null) throw Invalid(nameof(Multiplier), $"a multiplier schedule is required.");
        FinitePositive(UpperStep, nameof(UpperStep), "the upper step ξ");
        FinitePositive(LowerStep, nameof(LowerStep), "the lower step α");
        FinitePositive(InnerStep, nameof(InnerStep), "the inner step β");
        FinitePositive(Eta, nameof(Eta), "η");
        if (InnerSteps < 1) throw Invalid(nameof(InnerSteps), $"at least 1 inner step is needed, not {InnerSteps}.");
    }
}
