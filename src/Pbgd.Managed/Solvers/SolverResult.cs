namespace Pbgd.Solvers;

/// <summary>
/// The outcome of a solver run, the same for every solver: the solution, why it stopped, the tolerances met, the work
/// counts and the history. Solver-specific facts live on derived types (<see cref="PbgdResult"/>, <see cref="RxgfResult"/>).
/// </summary>
public class SolverResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="core">The values every solver reports.</param>
    public SolverResult(SolverResultCore core)
    {
        ArgumentNullException.ThrowIfNull(core);
        (Algorithm, U, V, Omega, StopReason, Converged, Seconds, History, Final, Oracle) =
            (core.Algorithm, core.U, core.V, core.Omega, core.StopReason, core.Converged, core.Seconds, core.History, core.Final, core.Oracle);
        (PenaltyIncreases, LongestIncreaseStreak, RankDeficientSeen, OracleIsExact) = (core.PenaltyIncreases, core.LongestIncreaseStreak, core.RankDeficientSeen, core.OracleIsExact);
    }

    /// <summary>The solver's name ("PBGD-B", "PBGD-J", "RXGF", "F2SA", "BOME").</summary>
    public string Algorithm { get; }

    /// <summary>The final upper variable u.</summary>
    public double[] U { get; }

    /// <summary>The final lower variable v.</summary>
    public double[] V { get; }

    /// <summary>The final lower-level estimate ω ≈ v*(u).</summary>
    public double[] Omega { get; }

    /// <summary>Why the run stopped.</summary>
    public StopReason StopReason { get; }

    /// <summary>Which tolerances were met at the stop (none unless <see cref="StopReason"/> is Converged).</summary>
    public ConvergenceCriteria Converged { get; }

    /// <summary>Accepted upper steps.</summary>
    public int Iterations => Final.Iteration;

    /// <summary>Solver seconds (time spent only on reports excluded).</summary>
    public double Seconds { get; }

    /// <summary>The logged iterations.</summary>
    public SolverHistory History { get; }

    /// <summary>The measurements at the returned point.</summary>
    public IterationRecord Final { get; }

    /// <summary>The work done, in total.</summary>
    public SolverCounts Counts => Final.Counts;

    /// <summary>How g*(u) was estimated ("exact", "iterative(T=1, warm)"; for F²SA, BOME and RXGF the reports' oracle).</summary>
    public string Oracle { get; }

    /// <summary>Whether g*(u) came from an exact solve (then g − g* is a gap, not an estimate).</summary>
    public bool OracleIsExact { get; }

    /// <summary>Iterations at which L_γ increased while γ stayed fixed (a step that is too large shows here).</summary>
    public int PenaltyIncreases { get; }

    /// <summary>The longest run of consecutive such increases.</summary>
    public int LongestIncreaseStreak { get; }

    /// <summary>Whether an exact lower-level solve met a design without full rank (so v*(u) is not unique).</summary>
    public bool RankDeficientSeen { get; }

    /// <summary>Whether L_γ kept rising with γ fixed (three or more increases in a row): the step is likely too large.</summary>
    public bool Oscillated => LongestIncreaseStreak >= 3;

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant(
        $"{Algorithm}: {StopReason} after {Iterations} iterations ({Seconds:F3} s), f = {Final.Upper:G6}, g − g* = {Final.LowerGap:G3}, ‖∇L‖ = {Final.GradientNorm:G3}{(Oscillated ? $"; L_γ rose at {PenaltyIncreases} iterations with γ fixed (up to {LongestIncreaseStreak} in a row)" : "")}");
}

/// <summary>The values every solver's result carries (<see cref="SolverResult"/>).</summary>
/// <param name="Algorithm">The solver's name.</param>
/// <param name="U">Final u.</param>
/// <param name="V">Final v.</param>
/// <param name="Omega">Final ω.</param>
/// <param name="StopReason">Why it stopped.</param>
/// <param name="Converged">Tolerances met.</param>
/// <param name="Seconds">Solver seconds.</param>
/// <param name="History">Logged iterations.</param>
/// <param name="Final">The record of the returned point.</param>
/// <param name="Oracle">How g* was estimated.</param>
/// <param name="PenaltyIncreases">L_γ increases with γ fixed.</param>
/// <param name="LongestIncreaseStreak">Longest streak of them.</param>
/// <param name="RankDeficientSeen">Whether a rank-deficient exact solve happened.</param>
/// <param name="OracleIsExact">Whether g* came from an exact solve.</param>
public sealed record SolverResultCore(
    string Algorithm, double[] U, double[] V, double[] Omega, StopReason StopReason, ConvergenceCriteria Converged, double Seconds,
    SolverHistory History, IterationRecord Final, string Oracle, int PenaltyIncreases, int LongestIncreaseStreak, bool RankDeficientSeen,
    bool OracleIsExact);
