namespace Pbgd.Optimization;

/// <summary>
/// Options shared by <see cref="ProjectedLbfgs"/> and <see cref="SpectralProjectedGradient"/> (each ignores the
/// ones marked for the other). <see cref="Validate"/> names the offending option.
/// </summary>
public sealed record BoxMinimizerOptions
{
    /// <summary>Accepted iterations before the run stops with <see cref="StopReason.MaxIterations"/>.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>
    /// Absolute tolerance on the projected-gradient norm ‖x − P(x − ∇f)‖∞ (<see cref="Box.ProjectedGradientNorm"/>):
    /// converged when it is ≤ this. 0 switches the test off (an exact zero still converges).
    /// </summary>
    public double GradientTolerance { get; init; } = 1e-6;

    /// <summary>
    /// Relative tolerance: converged when the projected-gradient norm is ≤ this × its value at the start point of
    /// <see cref="BoxMinimizer.Init"/>. 0 (default) switches the test off; either test suffices.
    /// </summary>
    public double RelativeGradientTolerance { get; init; }

    /// <summary>
    /// Converged when an accepted step decreases f by at most this, relative: 0 ≤ (f_k − f_{k+1})/max(|f_k|, |f_{k+1}|, 1)
    /// ≤ tol (scipy's factr test). An increase (a nonmonotone SPG step) never counts. 0 (default) switches it off.
    /// </summary>
    public double FunctionTolerance { get; init; }

    /// <summary>A line search evaluates at most 1 + this many trial points; if none is accepted the run stops with
    /// <see cref="StopReason.LineSearchFailed"/> at the last accepted point.</summary>
    public int MaxBacktracks { get; init; } = 30;

    /// <summary>Sufficient-decrease (Armijo) constant c₁ ∈ (0, ½).</summary>
    public double ArmijoConstant { get; init; } = 1e-4;

    /// <summary>L-BFGS: strong-Wolfe curvature constant c₂ ∈ (c₁, 1), used where the search path meets no bound.</summary>
    public double CurvatureConstant { get; init; } = 0.9;

    /// <summary>
    /// L-BFGS: a change of f smaller than this × |f| is treated as rounding noise, and the line search then judges
    /// the decrease by the trapezoid rule on gradients, f(x₊) − f(x) ≈ ½(∇f(x) + ∇f(x₊))ᵀ(x₊ − x) (Hager–Zhang's
    /// "approximate Wolfe" idea; exact for quadratics). Only in iterations whose predicted decrease ∇fᵀd is itself
    /// below this × |f|, so a gradient inconsistent with f (which predicts large decreases) is still judged by f.
    /// Without it, near a minimum f stops resolving the decrease and tight gradient tolerances end in
    /// <see cref="StopReason.LineSearchFailed"/>. An accepted step may then raise f by at most this relative
    /// amount. 0 switches it off. SPG does not use it: its nonmonotone window
    /// already absorbs noise, and its acceptance test stays exact.
    /// </summary>
    public double RelativeValueNoise { get; init; } = 1e-10;

    /// <summary>
    /// The scale of the first direction of a run (<see cref="BoxMinimizer.Init"/>): L-BFGS's initial inverse-Hessian
    /// scaling γ₀ and SPG's first spectral step, so the first trial point is P(x − γ₀∇f). Null (default): 1/‖x − P(x − ∇f)‖,
    /// a first step of about unit length. A caller that knows a safe step for its problem (e.g. 1/L from a smoothness
    /// bound) sets it, and the first line search then starts at that step instead of extending a unit one.
    /// </summary>
    public double? InitialStep { get; init; }

    /// <summary>L-BFGS: the number m of curvature pairs kept.</summary>
    public int Memory { get; init; } = 10;

    /// <summary>
    /// L-BFGS: a pair is skipped when sᵀy ≤ ε·yᵀy (and SPG counts sᵀy ≤ 0 as skipped). The test compares the
    /// inverse-curvature estimate sᵀy/yᵀy with ε in x²/f units, so ε is tiny by default (machine epsilon, as in
    /// L-BFGS-B): in effect it skips pairs without positive curvature.
    /// </summary>
    public double CurvatureSkipThreshold { get; init; } = 2.220446049250313e-16;

    /// <summary>SPG: the nonmonotone window M (accepted values compared against); 1 makes the search monotone.</summary>
    public int NonmonotoneWindow { get; init; } = 10;

    /// <summary>SPG: the lower safeguard α_min of the Barzilai–Borwein step.</summary>
    public double SpectralStepMin { get; init; } = 1e-30;

    /// <summary>SPG: the upper safeguard α_max of the Barzilai–Borwein step.</summary>
    public double SpectralStepMax { get; init; } = 1e30;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> whose ParamName is the offending option.</summary>
    public void Validate()
    {
        if (MaxIterations < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be ≥ 0.");
        NonNegativeFinite(GradientTolerance, nameof(GradientTolerance));
        if (!(RelativeGradientTolerance >= 0 && RelativeGradientTolerance < 1))
            throw new ArgumentOutOfRangeException(nameof(RelativeGradientTolerance), RelativeGradientTolerance, "RelativeGradientTolerance must lie in [0, 1).");
        NonNegativeFinite(FunctionTolerance, nameof(FunctionTolerance));
        if (MaxBacktracks < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxBacktracks), MaxBacktracks, "MaxBacktracks must be ≥ 1.");
        if (!(ArmijoConstant > 0 && ArmijoConstant < 0.5))
            throw new ArgumentOutOfRangeException(nameof(ArmijoConstant), ArmijoConstant, "ArmijoConstant (c₁) must lie in (0, ½).");
        if (!(CurvatureConstant > ArmijoConstant && CurvatureConstant < 1))
            throw new ArgumentOutOfRangeException(nameof(CurvatureConstant), CurvatureConstant, "CurvatureConstant (c₂) must lie in (c₁, 1).");
        if (!(RelativeValueNoise >= 0 && RelativeValueNoise < 1))
            throw new ArgumentOutOfRangeException(nameof(RelativeValueNoise), RelativeValueNoise, "RelativeValueNoise must lie in [0, 1).");
        if (InitialStep is { } s0 && !(s0 > 0 && double.IsFinite(s0)))
            throw new ArgumentOutOfRangeException(nameof(InitialStep), s0, "InitialStep must be finite and > 0 when set.");
        if (Memory < 1)
            throw new ArgumentOutOfRangeException(nameof(Memory), Memory, "Memory must be ≥ 1.");
        NonNegativeFinite(CurvatureSkipThreshold, nameof(CurvatureSkipThreshold));
        if (NonmonotoneWindow < 1)
            throw new ArgumentOutOfRangeException(nameof(NonmonotoneWindow), NonmonotoneWindow, "NonmonotoneWindow must be ≥ 1.");
        if (!(SpectralStepMin > 0 && double.IsFinite(SpectralStepMin)))
            throw new ArgumentOutOfRangeException(nameof(SpectralStepMin), SpectralStepMin, "SpectralStepMin must be finite and > 0.");
        if (!(SpectralStepMax >= SpectralStepMin && double.IsFinite(SpectralStepMax)))
            throw new ArgumentOutOfRangeException(nameof(SpectralStepMax), SpectralStepMax, "SpectralStepMax must be finite and ≥ SpectralStepMin.");
    }

    private static void NonNegativeFinite(double value, string name)
    {
        if (!(value >= 0 && double.IsFinite(value)))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and ≥ 0.");
    }
}
