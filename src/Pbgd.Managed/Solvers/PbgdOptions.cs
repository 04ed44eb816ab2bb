using Pbgd.Schedules;

namespace Pbgd.Solvers;

/// <summary>
/// Options of the PBGD solvers (docs/algorithms.md §3). Defaults derive the step from the problem's smoothness
/// estimates, α = <see cref="StepScale"/>/(ℓ_f + γℓ_g), so a user need not tune it.
/// </summary>
public sealed record PbgdOptions : SolverOptions
{
    /// <summary>The penalty schedule γ_k. Default: constant γ = 10.</summary>
    public PenaltySchedule Penalty { get; init; } = PenaltySchedule.Constant(10);

    /// <summary>A fixed step α; null derives it from the smoothness estimates.</summary>
    public double? StepSize { get; init; }

    /// <summary>Multiplier c in the derived step α = c/(ℓ_f + γℓ_g).</summary>
    public double StepScale { get; init; } = 1.0;

    /// <summary>Multiply the step by min(1, 1/γ_k) (V-PBGD's rule with its γ ramp).</summary>
    public bool ScaleStepByInverseGamma { get; init; }

    /// <summary>How the upper step is taken: the papers' fixed step (<see cref="UpperStepRule.Gradient"/>, the default, kept for
    /// reproduction), projected L-BFGS or Barzilai–Borwein steps with a line search, whose iteration counts do not grow
    /// with γ (docs/algorithms.md §3a). With a line search the step options above do not apply.</summary>
    public UpperStepRule UpperStep { get; init; } = UpperStepRule.Gradient;

    /// <summary>L-BFGS upper step: the number of curvature pairs kept.</summary>
    public int Memory { get; init; } = 10;

    /// <summary>Line-search upper steps: trial points rejected before the run stops with
    /// <see cref="StopReason.LineSearchFailed"/> at the last accepted iterate.</summary>
    public int MaxBacktracks { get; init; } = 30;

    /// <summary>Stop when the norm of the projected gradient of L_γ is ≤ tol·(1 + |L_γ|); null to ignore. With the
    /// fixed step it is the gradient mapping (u − Proj(u − α d_u))/α; with a line search the unit-step projected gradient
    /// Proj(u − d_u) − u (both with ‖∇_v L_γ‖ for the v block).</summary>
    public double? GradientTolerance { get; init; }

    /// <summary>Stop when g − g* ≤ tol (an estimate with an inexact oracle); null to ignore.</summary>
    public double? LowerGapTolerance { get; init; }

    /// <summary>A known min L_γ (e.g. from <c>Pbgd.Certificates</c>) for <see cref="PenalizedGapTolerance"/>.</summary>
    public double? PenalizedReference { get; init; }

    /// <summary>Stop when L_γ − <see cref="PenalizedReference"/> ≤ tol; null to ignore.</summary>
    public double? PenalizedGapTolerance { get; init; }

    /// <summary>PBGD-B: take the v-step exactly when the problem can (<c>IExactPenalizedLowerLevel</c>).</summary>
    public bool ExactLowerStep { get; init; } = true;

    /// <summary>PBGD-B: warm-started gradient steps on L_γ(u, ·) per v-step when it is not exact (with the gradient upper
    /// step; a line-search upper step solves the v-step to a tolerance instead, see <see cref="InnerToleranceFactor"/>).</summary>
    public int LowerStepIterations { get; init; } = 10;

    /// <summary>
    /// κ of the inexact inner solves under a line-search upper step (docs/algorithms.md §3a): PBGD-B without an exact v-step
    /// solves min_v L_γ(u, ·) by warm-started L-BFGS until ‖∇_v L_γ‖₂ ≤ max(κ·G, <see cref="InnerToleranceFloor"/>), and an
    /// oracle that takes a tolerance (<c>LowerLevel.ITolerancedOracle</c>) gets max(κ·G/γ, floor), where G is the projected
    /// gradient norm of the line search's last accepted point (of φ_γ in u for PBGD-B; of L_γ in (u, v) for PBGD-J). The
    /// 1/γ is there because an error δω moves ∇φ_γ by γ·∇²_uv g·δω while an error δv moves it by O(1)·δv. Before the
    /// first accepted point (no G yet) both solves reduce their residual by the factor κ instead. Default 0.5: on MNIST
    /// cross-entropy κ = 0.1, 0.3, 0.5, 0.9 took the same outer iterations and 571, 450, 391, 329 inner evaluations to the
    /// first iterate with 90 % test accuracy and cleaning F1 0.92 (docs/algorithms.md §3a); 0.5 keeps a margin below 1.
    /// </summary>
    public double InnerToleranceFactor { get; init; } = 0.5;

    /// <summary>The smallest inner tolerance (‖∇_v‖₂) the inexact inner solves aim for; below it rounding in the gradients
    /// (float32 passes: ~1e-7 relative) stops resolving residuals.</summary>
    public double InnerToleranceFloor { get; init; } = 1e-8;

    /// <summary>Accepted L-BFGS steps per inexact v-step at most (the solve then ends where it is).</summary>
    public int InnerMaxIterations { get; init; } = 500;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Penalty is null) throw Invalid(nameof(Penalty), $"a penalty schedule is required.");
        FinitePositive(StepSize, nameof(StepSize), "the step α");
        FinitePositive(StepScale, nameof(StepScale), "the step multiplier");
        Positive(GradientTolerance, nameof(GradientTolerance), "the gradient tolerance");
        Positive(LowerGapTolerance, nameof(LowerGapTolerance), "the lower-level gap tolerance");
        Positive(PenalizedGapTolerance, nameof(PenalizedGapTolerance), "the penalized-gap tolerance");
        if (PenalizedGapTolerance is not null && PenalizedReference is null)
            throw Invalid(nameof(PenalizedReference), $"a penalized-gap tolerance needs a known min L_γ (PenalizedReference).");
        if (PenalizedReference is { } reference && !double.IsFinite(reference)) throw Invalid(nameof(PenalizedReference), $"the reference min L_γ must be finite, not {reference}.");
        if (LowerStepIterations < 1) throw Invalid(nameof(LowerStepIterations), $"the v-step needs at least 1 iteration, not {LowerStepIterations}.");
        if (!(InnerToleranceFactor > 0 && InnerToleranceFactor < 1)) throw Invalid(nameof(InnerToleranceFactor), $"the inner tolerance factor κ must lie in (0, 1), not {InnerToleranceFactor}.");
        if (!(InnerToleranceFloor > 0 && double.IsFinite(InnerToleranceFloor))) throw Invalid(nameof(InnerToleranceFloor), $"the inner solves' floor must be finite and > 0, not {InnerToleranceFloor}.");
        if (InnerMaxIterations < 1) throw Invalid(nameof(InnerMaxIterations), $"the inner solves need at least 1 iteration, not {InnerMaxIterations}.");
        if (!Enum.IsDefined(UpperStep)) throw Invalid(nameof(UpperStep), $"the upper step must be gradient, lbfgs or bb, not {UpperStep}.");
        if (Memory < 1) throw Invalid(nameof(Memory), $"the L-BFGS memory must be ≥ 1 pair, not {Memory}.");
        if (MaxBacktracks < 1) throw Invalid(nameof(MaxBacktracks), $"the line search needs at least 1 backtrack, not {MaxBacktracks}.");
    }

    private static void Positive(double? value, string name, string what)
    {
        if (value is { } v && !(v > 0)) throw Invalid(name, $"{what} must be > 0, not {v}.");
    }
}
