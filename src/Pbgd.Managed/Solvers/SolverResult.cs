namespace Pbgd.Solvers;

/// <summary>The outcome of a solver run: the final iterate, why it stopped, and the logged history.</summary>
public sealed class SolverResult
{
    internal SolverResult(string algorithm, double[] u, double[] v, double[] omega, StopReason reason,
        ConvergenceCriteria converged, int iterations, double seconds, SolverHistory history, IterationRecord final,
        int lowerSteps, int penaltyIncreases, int longestIncreaseStreak, bool rankDeficientSeen, string oracle)
    {
        Algorithm = algorithm;
        U = u;
        V = v;
        Omega = omega;
        StopReason = reason;
        Converged = converged;
        Iterations = iterations;
        Seconds = seconds;
        History = history;
        Final = final;
        TotalLowerSteps = lowerSteps;
        PenaltyIncreases = penaltyIncreases;
        LongestIncreaseStreak = longestIncreaseStreak;
        RankDeficientSeen = rankDeficientSeen;
        Oracle = oracle;
    }

    /// <summary>"PBGD-J" or "PBGD-B".</summary>
    public string Algorithm { get; }

    /// <summary>The final upper variable u.</summary>
    public double[] U { get; }

    /// <summary>The final lower variable v.</summary>
    public double[] V { get; }

    /// <summary>The oracle's final estimate ω ≈ v*(u).</summary>
    public double[] Omega { get; }

    /// <summary>Why the run stopped.</summary>
    public StopReason StopReason { get; }

    /// <summary>Which tolerances were met at the stop (none unless <see cref="StopReason"/> is Converged).</summary>
    public ConvergenceCriteria Converged { get; }

    /// <summary>u-steps taken.</summary>
    public int Iterations { get; }

    /// <summary>Wall-clock seconds.</summary>
    public double Seconds { get; }

    /// <summary>The logged iterations.</summary>
    public SolverHistory History { get; }

    /// <summary>The measurements at the returned point.</summary>
    public IterationRecord Final { get; }

    /// <summary>Lower-level gradient steps taken by the oracle and inexact v-steps, in total.</summary>
    public int TotalLowerSteps { get; }

    /// <summary>Iterations at which L_γ increased while γ stayed fixed (a sign that the step is too large).</summary>
    public int PenaltyIncreases { get; }

    /// <summary>The longest run of consecutive such increases.</summary>
    public int LongestIncreaseStreak { get; }

    /// <summary>Whether the exact oracle ever fell back to a minimum-norm (rank-deficient) solve.</summary>
    public bool RankDeficientSeen { get; }

    /// <summary>The oracle's name.</summary>
    public string Oracle { get; }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant(
        $"{Algorithm}: {StopReason} after {Iterations} iterations ({Seconds:F3} s), f = {Final.Upper:G6}, g − g* = {Final.LowerGap:G3}, ‖∇L‖ = {Final.GradientNorm:G3}");
}

/// <summary>The tolerances a run met.</summary>
[Flags]
public enum ConvergenceCriteria
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>Projected-gradient norm of L_γ.</summary>
    Gradient = 1,
    /// <summary>Lower-level gap g − g*.</summary>
    LowerGap = 2,
    /// <summary>L_γ − min L_γ.</summary>
    PenalizedGap = 4,
    /// <summary>RXGF's squared KKT residual.</summary>
    Kkt = 8,
}
