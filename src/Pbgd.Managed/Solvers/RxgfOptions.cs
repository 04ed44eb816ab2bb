namespace Pbgd.Solvers;

/// <summary>
/// Options of the discretized relaxed gradient flow (RXGF, [A25], docs/algorithms.md §7). The update rule is reconstructed
/// from the paper's stated results, so every constant is an option; the defaults are this project's choices, not the
/// paper's.
/// </summary>
public sealed record RxgfOptions
{
    /// <summary>ε of the relaxed constraint h(u, v) = ‖∇_v g(u, v)‖² ≤ ε.</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>α of the direction constraint ∇hᵀd ≤ −α(h − ε): the rate at which a violated constraint is driven back.</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>A fixed step η (z ← z + ηd). Null (the default) uses η_k = <see cref="StepScale"/>/(ℓ_f + λ_k·ℓ_h) with
    /// ℓ_h = 2ℓ_g², a bound on the curvature of h = ‖∇_v g‖² when g is quadratic: the multiplier λ_k plays the role of
    /// PBGD's γ in α = 1/(ℓ_f + γℓ_g). A fixed η stalls in a 2-cycle once λ_k grows past about 2/(ηℓ_h), and λ_k grows
    /// like h^−½ as h falls towards ε (measured on <see cref="Problems.Toys.RxgfToy"/>: η = 0.155 stuck at h = 0.066).</summary>
    public double? StepSize { get; init; }

    /// <summary>Multiplier c of the derived step.</summary>
    public double StepScale { get; init; } = 1.0;

    /// <summary>Stop when the squared KKT residual is ≤ this (null: never on this criterion).</summary>
    public double? KktTolerance { get; init; } = 1e-6;

    /// <summary>Iteration limit.</summary>
    public int MaxIterations { get; init; } = 100_000;

    /// <summary>Wall-clock budget (null: none).</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Record every k-th iteration (the last one always).</summary>
    public int LogEvery { get; init; } = 1;

    /// <summary>Called after each evaluated iteration (progress display); must not keep the spans.</summary>
    public IterationObserver? Observer { get; init; }

    /// <summary>Checks every value, naming the offending option.</summary>
    public void Validate()
    {
        if (!(Epsilon >= 0) || !double.IsFinite(Epsilon)) throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "ε must be finite and ≥ 0.");
        if (!(Alpha > 0) || !double.IsFinite(Alpha)) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "α must be finite and > 0.");
        if (StepSize is { } eta && !(eta > 0 && double.IsFinite(eta)))
            throw new ArgumentOutOfRangeException(nameof(StepSize), eta, "η must be finite and > 0.");
        if (!(StepScale > 0) || !double.IsFinite(StepScale)) throw new ArgumentOutOfRangeException(nameof(StepScale), StepScale, "StepScale must be finite and > 0.");
        if (KktTolerance is { } tol && !(tol > 0 && double.IsFinite(tol)))
            throw new ArgumentOutOfRangeException(nameof(KktTolerance), tol, "The KKT tolerance must be finite and > 0.");
        if (MaxIterations < 0) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be ≥ 0.");
        if (TimeBudget is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TimeBudget), t, "The time budget must be positive.");
        if (LogEvery < 1) throw new ArgumentOutOfRangeException(nameof(LogEvery), LogEvery, "LogEvery must be ≥ 1.");
    }
}
