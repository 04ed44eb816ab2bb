namespace Pbgd.Solvers;

/// <summary>
/// Options of the discretized relaxed gradient flow (RXGF, [A25], docs/algorithms.md §7). The update rule is reconstructed
/// from the paper's stated results, so every constant is an option; the defaults are this project's choices, not the
/// paper's.
/// </summary>
public sealed record RxgfOptions : SolverOptions
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

    /// <summary>
    /// Adapt η by backtracking: the direction d = −∇f − λ_k∇h is the steepest descent of the Lagrangian f + λ_k h with the
    /// multiplier held at λ_k, so each iteration tries 2η_prev first and halves until that Lagrangian decreases by
    /// c₁‖z⁺ − z‖²/η (Armijo), never below the derived step, which is then taken as the unadapted method takes it. The
    /// derived step is a global bound and can be far too small (on squared MNIST hyper-cleaning the KKT residual stayed
    /// near 1e11 with it); the search only enlarges it. Off: the derived step. Ignored when <see cref="StepSize"/> is set.
    /// </summary>
    public bool Backtracking { get; init; } = true;

    /// <summary>Backtracking: halvings of η before the run stops with <see cref="StopReason.LineSearchFailed"/>.</summary>
    public int MaxBacktracks { get; init; } = 40;

    /// <summary>Multiplier c of the derived step.</summary>
    public double StepScale { get; init; } = 1.0;

    /// <summary>Stop when the squared KKT residual is ≤ this (null: never on this criterion).</summary>
    public double? KktTolerance { get; init; } = 1e-6;

    /// <summary>Iteration limit.</summary>
    public override int MaxIterations { get; init; } = 100_000;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (!(Epsilon >= 0) || !double.IsFinite(Epsilon)) throw Invalid(nameof(Epsilon), $"ε must be finite and ≥ 0, not {Epsilon}.");
        FinitePositive(Alpha, nameof(Alpha), "α");
        FinitePositive(StepSize, nameof(StepSize), "η");
        FinitePositive(StepScale, nameof(StepScale), "the step multiplier");
        FinitePositive(KktTolerance, nameof(KktTolerance), "the KKT tolerance");
        if (MaxBacktracks < 1) throw Invalid(nameof(MaxBacktracks), $"the line search needs at least 1 backtrack, not {MaxBacktracks}.");
    }
}
