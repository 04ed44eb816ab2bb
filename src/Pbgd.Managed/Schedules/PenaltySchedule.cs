namespace Pbgd.Schedules;

/// <summary>
/// The penalty γ_k of L_γ = f + γ(g − g*) at iteration k (docs/algorithms.md §3): a constant, γ₀·ε^−½ from a
/// target accuracy ε ([XC24]'s γ = Θ(ε^−½)), or V-PBGD's linear ramp from a start to an end value.
/// </summary>
public sealed record PenaltySchedule
{
    private PenaltySchedule(PenaltyScheduleKind kind, double start, double end, int rampSteps, double epsilon)
    {
        Kind = kind;
        Start = start;
        End = end;
        RampSteps = rampSteps;
        Epsilon = epsilon;
    }

    /// <summary>Which rule this is.</summary>
    public PenaltyScheduleKind Kind { get; }

    /// <summary>γ at iteration 0.</summary>
    public double Start { get; }

    /// <summary>γ after the ramp (equal to <see cref="Start"/> for constant schedules).</summary>
    public double End { get; }

    /// <summary>Length of the linear ramp (0 for constant schedules).</summary>
    public int RampSteps { get; }

    /// <summary>The target accuracy ε for <see cref="PenaltyScheduleKind.FromEpsilon"/>; NaN otherwise.</summary>
    public double Epsilon { get; }

    /// <summary>γ_k = γ.</summary>
    /// <param name="gamma">γ ≥ 0, finite.</param>
    public static PenaltySchedule Constant(double gamma)
    {
        RequireGamma(gamma, nameof(gamma));
        return new(PenaltyScheduleKind.Constant, gamma, gamma, 0, double.NaN);
    }

    /// <summary>γ = γ₀·ε^−½, the penalty [XC24] prescribes for an (ε, ε)-solution.</summary>
    /// <param name="epsilon">Target accuracy, in (0, 1].</param>
    /// <param name="gamma0">The constant γ₀ &gt; 0.</param>
    public static PenaltySchedule FromEpsilon(double epsilon, double gamma0 = 1.0)
    {
        if (!(epsilon > 0 && epsilon <= 1))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must lie in (0, 1].");
        RequireGamma(gamma0, nameof(gamma0));
        double gamma = gamma0 / Math.Sqrt(epsilon);
        return new(PenaltyScheduleKind.FromEpsilon, gamma, gamma, 0, epsilon);
    }

    /// <summary>γ_k = start + (end − start)·min(1, k / steps): V-PBGD's ramp (0 → 0.2 over 30 000 steps).</summary>
    /// <param name="start">γ at iteration 0.</param>
    /// <param name="end">γ from iteration <paramref name="steps"/> on.</param>
    /// <param name="steps">Ramp length, ≥ 1.</param>
    public static PenaltySchedule LinearRamp(double start, double end, int steps)
    {
        RequireGamma(start, nameof(start));
        RequireGamma(end, nameof(end));
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        return new(PenaltyScheduleKind.LinearRamp, start, end, steps, double.NaN);
    }

    /// <summary>γ at iteration k.</summary>
    /// <param name="k">Iteration, ≥ 0.</param>
    public double Gamma(int k) => Kind == PenaltyScheduleKind.LinearRamp
        ? Start + (End - Start) * Math.Min(1.0, (double)k / RampSteps)
        : Start;

    /// <summary>Parses <c>VALUE</c>, <c>ramp:START:END:STEPS</c> or <c>eps:EPS[:GAMMA0]</c> (the CLI's syntax).</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="FormatException">The text is none of those forms.</exception>
    public static PenaltySchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        try
        {
            return parts[0] switch
            {
                "ramp" when parts.Length == 4 => LinearRamp(double.Parse(parts[1], inv), double.Parse(parts[2], inv), int.Parse(parts[3], inv)),
                "eps" when parts.Length is 2 or 3 => FromEpsilon(double.Parse(parts[1], inv), parts.Length == 3 ? double.Parse(parts[2], inv) : 1.0),
                _ when parts.Length == 1 => Constant(double.Parse(parts[0], inv)),
                _ => throw new FormatException(),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            throw new FormatException(
                $"'{text}' is not a penalty schedule: expected VALUE, ramp:START:END:STEPS or eps:EPS[:GAMMA0] ({Reason(e)})", e);
        }
    }

    // A range check's own words ("gamma must be a finite number ≥ 0."), without the " (Parameter 'gamma')" and
    // "Actual value was -1." the framework appends to ArgumentOutOfRangeException's message.
    private static string Reason(Exception e)
    {
        if (e is not ArgumentException { ParamName: { } name } a) return e.Message;
        int suffix = a.Message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal);
        return suffix < 0 ? a.Message : a.Message[..suffix];
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        PenaltyScheduleKind.LinearRamp => FormattableString.Invariant($"ramp:{Start}:{End}:{RampSteps}"),
        PenaltyScheduleKind.FromEpsilon => FormattableString.Invariant($"eps:{Epsilon}:{Start * Math.Sqrt(Epsilon)}"),
        _ => FormattableString.Invariant($"{Start}"),
    };

    private static void RequireGamma(double gamma, string name)
    {
        if (!(gamma >= 0) || double.IsInfinity(gamma))
            throw new ArgumentOutOfRangeException(name, gamma, $"{name} must be a finite number ≥ 0.");
    }
}

/// <summary>The kinds of <see cref="PenaltySchedule"/>.</summary>
public enum PenaltyScheduleKind
{
    /// <summary>γ fixed.</summary>
    Constant,
    /// <summary>γ = γ₀·ε^−½, fixed.</summary>
    FromEpsilon,
    /// <summary>γ ramps linearly, then stays.</summary>
    LinearRamp,
}
