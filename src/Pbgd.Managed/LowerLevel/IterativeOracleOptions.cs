namespace Pbgd.LowerLevel;

/// <summary>Options of the iterative lower-level oracle (docs/algorithms.md §2).</summary>
public sealed record IterativeOracleOptions
{
    /// <summary>Step β; null derives β = 1/ℓ from the problem's <c>LowerInV</c> smoothness estimate.</summary>
    public double? StepSize { get; init; }

    /// <summary>Fixed number of steps T per call (used when <see cref="StepsPerLogInverseEpsilon"/> is null).</summary>
    public int Steps { get; init; } = 1;

    /// <summary>When set, T = ⌈c_T·ln(1/ε)⌉ with ε = <see cref="Epsilon"/> ([XC24]'s T_k = O(log 1/ε)).</summary>
    public double? StepsPerLogInverseEpsilon { get; init; }

    /// <summary>Target accuracy ε for the step-count rule.</summary>
    public double Epsilon { get; init; } = 1e-3;

    /// <summary>Warm start from the previous ω (V-PBGD) or cold start from 0 ([XC24] Alg. 1).</summary>
    public bool WarmStart { get; init; } = true;

    /// <summary>When set, also stop as soon as ‖∇_v g(u, ω)‖ ≤ tolerance, and take up to <see cref="MaxSteps"/>
    /// steps ("run to tolerance").</summary>
    public double? Tolerance { get; init; }

    /// <summary>Step cap in tolerance mode.</summary>
    public int MaxSteps { get; init; } = 100_000;

    /// <summary>The number of steps per call that the rule gives.</summary>
    public int StepsPerCall => StepsPerLogInverseEpsilon is { } c
        ? Math.Max(1, (int)Math.Ceiling(c * Math.Log(1.0 / Epsilon)))
        : Steps;

    internal void Validate()
    {
        if (StepSize is { } b && !(b > 0 && double.IsFinite(b)))
            throw new ArgumentOutOfRangeException(nameof(StepSize), b, "The lower-level step must be finite and > 0.");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "At least one step per call.");
        if (StepsPerLogInverseEpsilon is { } c && !(c > 0 && double.IsFinite(c)))
            throw new ArgumentOutOfRangeException(nameof(StepsPerLogInverseEpsilon), c, "c_T must be finite and > 0.");
        if (!(Epsilon > 0 && Epsilon < 1))
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "epsilon must lie in (0, 1).");
        if (Tolerance is { } t && !(t > 0))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), t, "The tolerance must be > 0.");
        if (MaxSteps < 1) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "MaxSteps must be ≥ 1.");
    }
}
