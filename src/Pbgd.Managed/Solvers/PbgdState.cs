using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// The explicit state of a PBGD run: iterates, the oracle's ω, the iteration counter and every work buffer,
/// allocated once by <see cref="PbgdSolver.Init"/> so the loop allocates nothing.
/// </summary>
public sealed class PbgdState
{
    internal PbgdState(int n, int p)
    {
        U = new double[n];
        V = new double[p];
        Omega = new double[p];
        GradFU = new double[n];
        GradFV = new double[p];
        GradGU = new double[n];
        GradGV = new double[p];
        GradStarU = new double[n];
        GradStarV = new double[p];
        DirectionV = new double[p];
        DirectionU = new double[n];
        NextU = new double[n];
        PreviousU = new double[n];
        PreviousV = new double[p];
    }

    /// <summary>The upper variable u^k.</summary>
    public double[] U { get; }

    /// <summary>The lower variable v^k.</summary>
    public double[] V { get; }

    /// <summary>The oracle's estimate ω ≈ v*(u^k).</summary>
    public double[] Omega { get; }

    /// <summary>Iterations (u-steps) taken so far.</summary>
    public int Iteration { get; internal set; }

    /// <summary>The record of the last evaluation.</summary>
    public IterationRecord Last { get; internal set; }

    internal double[] GradFU { get; }
    internal double[] GradFV { get; }
    internal double[] GradGU { get; }
    internal double[] GradGV { get; }
    internal double[] GradStarU { get; }
    internal double[] GradStarV { get; }
    internal double[] DirectionU { get; }
    internal double[] DirectionV { get; }
    internal double[] NextU { get; }
    internal double[] PreviousU { get; }
    internal double[] PreviousV { get; }
    internal Smoothness Smoothness { get; set; }
    internal long StartTimestamp { get; set; }
    internal int LowerSteps { get; set; }
    internal bool RankDeficientSeen { get; set; }
    internal bool Evaluated { get; set; }
    internal double SecondsBefore { get; set; }
    internal int PenaltyIncreases { get; set; }
    internal int IncreaseStreak { get; set; }
    internal int LongestIncreaseStreak { get; set; }
    internal double PreviousPenalized { get; set; } = double.NaN;
    internal double PreviousGamma { get; set; } = double.NaN;

    /// <summary>Seconds of solver time so far (including time before a resume).</summary>
    public double Seconds => SecondsBefore + System.Diagnostics.Stopwatch.GetElapsedTime(StartTimestamp).TotalSeconds;
}
