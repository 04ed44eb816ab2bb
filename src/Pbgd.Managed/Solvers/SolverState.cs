using System.Diagnostics;

namespace Pbgd.Solvers;

/// <summary>
/// The explicit state every solver's run shares: the iterates, the lower-level estimate ω, the iteration counter, the
/// counts and the clock. Each solver derives its own state with its work buffers, allocated once by
/// <c>Init</c> so the loop allocates nothing.
/// </summary>
public abstract class SolverState
{
    /// <summary>Allocates the iterates for a problem with u of length <paramref name="n"/> and v of length <paramref name="p"/>.</summary>
    private protected SolverState(int n, int p)
    {
        U = new double[n];
        V = new double[p];
        Omega = new double[p];
        PreviousU = new double[n];
        PreviousV = new double[p];
        PreviousOmega = new double[p];
    }

    /// <summary>The upper variable u^k.</summary>
    public double[] U { get; }

    /// <summary>The lower variable v^k.</summary>
    public double[] V { get; }

    /// <summary>The lower-level estimate ω ≈ v*(u^k) (the oracle's, or the reports' for methods without one).</summary>
    public double[] Omega { get; }

    /// <summary>Accepted upper steps so far.</summary>
    public int Iteration { get; internal set; }

    /// <summary>The record of the last evaluation.</summary>
    public IterationRecord Last { get; internal set; }

    /// <summary>The work done so far.</summary>
    public SolverCounts Counts { get; internal set; }

    /// <summary>Solver seconds so far (time before a resume included, time spent only on reports excluded).</summary>
    public double Seconds => SecondsBefore + Stopwatch.GetElapsedTime(StartTimestamp).TotalSeconds
                             - Stopwatch.GetElapsedTime(0, ExcludedTicks).TotalSeconds;

    // The point the last step started from, returned when the step led to a non-finite point.
    internal double[] PreviousU { get; }
    internal double[] PreviousV { get; }
    internal double[] PreviousOmega { get; }
    internal long StartTimestamp { get; set; }
    internal long ExcludedTicks { get; set; }
    internal double SecondsBefore { get; set; }
    internal bool Evaluated { get; set; }
    internal int PenaltyIncreases { get; set; }
    internal int IncreaseStreak { get; set; }
    internal int LongestIncreaseStreak { get; set; }
    internal double PreviousPenalized { get; set; } = double.NaN;
    internal double PreviousGamma { get; set; } = double.NaN;

    /// <summary>Adds to the counts (solvers call it as they work).</summary>
    internal void Count(long evaluations = 0, long exactSolves = 0, long innerSteps = 0, long backtracks = 0, long secondOrder = 0) =>
        Counts = Counts with
        {
            Evaluations = Counts.Evaluations + evaluations, ExactSolves = Counts.ExactSolves + exactSolves,
            InnerSteps = Counts.InnerSteps + innerSteps, Backtracks = Counts.Backtracks + backtracks,
            SecondOrderProducts = Counts.SecondOrderProducts + secondOrder,
        };

    /// <summary>Starts a stretch of work that is not the method's (reports); <see cref="ResumeClock"/> ends it.</summary>
    internal static long PauseClock() => Stopwatch.GetTimestamp();

    /// <summary>Ends a stretch started by <see cref="PauseClock"/>, keeping its time off the solver's clock.</summary>
    internal void ResumeClock(long paused) => ExcludedTicks += Stopwatch.GetTimestamp() - paused;
}
