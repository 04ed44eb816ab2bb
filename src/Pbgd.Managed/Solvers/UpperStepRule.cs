namespace Pbgd.Solvers;

/// <summary>
/// How PBGD takes its upper step (docs/algorithms.md §3 and §3a).
/// </summary>
public enum UpperStepRule
{
    /// <summary>The papers' fixed step α = c/(ℓ_f + γℓ_g) (or a given α), projected: kept to reproduce them. Its iteration
    /// count grows like γ, because the step is sized for the joint curvature of L_γ.</summary>
    Gradient,
    /// <summary>Projected L-BFGS with a line search (two-metric projection for the box U): on the reduced function
    /// φ_γ(u) = min_v L_γ(u, v) for PBGD-B, whose curvature stays bounded as γ grows, and on the joint (u, v) of L_γ
    /// with the oracle's ω for PBGD-J.</summary>
    Lbfgs,
    /// <summary>Barzilai–Borwein steps with a nonmonotone (Grippo–Lampariello–Lucidi) line search: the spectral projected
    /// gradient method, for cheap evaluations (the iterative-oracle path).</summary>
    SpectralGradient,
}

/// <summary>The names of <see cref="UpperStepRule"/>: gradient, lbfgs, bb.</summary>
public static class UpperStepRules
{
    /// <summary>Every rule.</summary>
    public static IReadOnlyList<UpperStepRule> All { get; } = Enum.GetValues<UpperStepRule>();

    /// <summary>The name of a rule.</summary>
    /// <param name="rule">The rule.</param>
    public static string Name(UpperStepRule rule) => rule switch
    {
        UpperStepRule.Gradient => "gradient",
        UpperStepRule.Lbfgs => "lbfgs",
        UpperStepRule.SpectralGradient => "bb",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown upper-step rule."),
    };

    /// <summary>A rule by name; an unknown one is reported with the valid names.</summary>
    /// <param name="name">gradient, lbfgs or bb.</param>
    /// <param name="parameter">The parameter the name came from.</param>
    public static UpperStepRule Parse(string name, string parameter = "UpperStep")
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var r in All)
            if (string.Equals(Name(r), name.Trim(), StringComparison.OrdinalIgnoreCase)) return r;
        throw new Validation.InvalidValueException(parameter, $"'{name}' is not an upper-step rule; the rules are {string.Join(", ", All.Select(Name))}.");
    }
}
