using Pbgd.Experiments.Setup;
using Pbgd.Solvers;
using Pbgd.Solvers.Baselines;

namespace Pbgd.Experiments.Comparison;

/// <summary>How <see cref="ComparisonRunner"/> runs each solver. Every solver gets the same budget and start.</summary>
public sealed record ComparisonSettings
{
    /// <summary>The solvers, in table order.</summary>
    public IReadOnlyList<BilevelAlgorithm> Solvers { get; init; } = BilevelAlgorithms.All;

    /// <summary>Iteration limit of every solver.</summary>
    public int MaxIterations { get; init; } = 2_000;

    /// <summary>Wall-clock budget of every solver (null: none).</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>The penalty schedule (<see cref="Schedules.PenaltySchedule.Parse"/> syntax) of PBGD, shared by F²SA as its
    /// multiplier λ_k unless <see cref="F2sa"/> says otherwise, so both see the same γ_k. F²SA's analysis wants an
    /// increasing λ: a ramp (ramp:0:Γ:K) is the like-for-like comparison.</summary>
    public string Gamma { get; init; } = "100";

    /// <summary>PBGD's upper step rule.</summary>
    public Pbgd.Solvers.UpperStepRule PbgdUpperStep { get; init; } = Pbgd.Solvers.UpperStepRule.Gradient;

    /// <summary>Multiplier of PBGD's derived step.</summary>
    public double PbgdStepScale { get; init; } = 1.0;

    /// <summary>PBGD's lower-level oracle: exact (LAPACK) where the problem has one, unless this is false; the iterative
    /// oracle (warm-started, <see cref="OracleSteps"/> steps) otherwise, which is F²SA's own z-update; under a line-search
    /// <see cref="PbgdUpperStep"/> the L-BFGS oracle to the line search's tolerance instead.</summary>
    public bool PbgdExactOracle { get; init; } = true;

    /// <summary>Gradient steps per iteration of the iterative oracle, used where the problem has no exact lower level
    /// (PBGD's ω; the baselines' and RXGF's reports of g*).</summary>
    public int OracleSteps { get; init; } = 1;

    /// <summary>RXGF's options (its iteration limit and budget are replaced by the shared ones).</summary>
    public RxgfOptions Rxgf { get; init; } = new();

    /// <summary>F²SA's options; null derives steps from the problem's smoothness at the start (see <see cref="ComparisonRunner"/>).</summary>
    public BaselineOptions? F2sa { get; init; }

    /// <summary>BOME's options; null derives them as for F²SA, with T = 10 inner steps and η = 0.5.</summary>
    public BaselineOptions? Bome { get; init; }

    /// <summary>Target on the lower-level gap, relative to g(u⁰, v⁰): reached when g − g* ≤ this·g(u⁰, v⁰).</summary>
    public double LowerGapTarget { get; init; } = 1e-6;

    /// <summary>Target on f, relative to the instance's reference: |f − f*| ≤ this·|f*| (ignored without a reference).</summary>
    public double UpperTarget { get; init; } = 1e-2;

    /// <summary>Record every k-th iteration.</summary>
    public int LogEvery { get; init; } = 1;

    /// <summary>Called after each solver finishes (progress lines).</summary>
    public Action<ComparisonRow>? OnSolverFinished { get; init; }

    /// <summary>Checks the values, naming the offending one.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Solvers, nameof(Solvers));
        if (Solvers.Count == 0) throw new ArgumentException("Name at least one solver.", nameof(Solvers));
        if (MaxIterations < 0) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be ≥ 0.");
        if (TimeBudget is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TimeBudget), t, "The time budget must be positive.");
        _ = Schedules.PenaltySchedule.Parse(Gamma);
        if (!(PbgdStepScale > 0) || !double.IsFinite(PbgdStepScale)) throw new ArgumentOutOfRangeException(nameof(PbgdStepScale), PbgdStepScale, "Must be finite and > 0.");
        if (OracleSteps < 1) throw new ArgumentOutOfRangeException(nameof(OracleSteps), OracleSteps, "At least one oracle step.");
        if (!(LowerGapTarget > 0)) throw new ArgumentOutOfRangeException(nameof(LowerGapTarget), LowerGapTarget, "Must be > 0.");
        if (!(UpperTarget > 0)) throw new ArgumentOutOfRangeException(nameof(UpperTarget), UpperTarget, "Must be > 0.");
        if (LogEvery < 1) throw new ArgumentOutOfRangeException(nameof(LogEvery), LogEvery, "LogEvery must be ≥ 1.");
        Rxgf.Validate();
    }
}
