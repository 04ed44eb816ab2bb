using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// The state of a PBGD run: the shared iterates (<see cref="SolverState"/>) and PBGD's gradients, directions and
/// smoothness estimate, allocated once by <c>Init</c> so the loop allocates nothing.
/// </summary>
public sealed class PbgdState : SolverState
{
    internal PbgdState(int n, int p) : base(n, p)
    {
        GradFU = new double[n];
        GradFV = new double[p];
        GradGU = new double[n];
        GradGV = new double[p];
        GradStarU = new double[n];
        GradStarV = new double[p];
        DirectionV = new double[p];
        DirectionU = new double[n];
        NextU = new double[n];
    }

    internal double[] GradFU { get; }
    internal double[] GradFV { get; }
    internal double[] GradGU { get; }
    internal double[] GradGV { get; }
    internal double[] GradStarU { get; }
    internal double[] GradStarV { get; }
    internal double[] DirectionU { get; }
    internal double[] DirectionV { get; }
    internal double[] NextU { get; }
    internal Smoothness Smoothness { get; set; }
    internal bool RankDeficientSeen { get; set; }

    /// <summary>The line-search upper step (null for the fixed gradient step).</summary>
    internal LineSearchUpperStep? Upper { get; set; }

    /// <summary>PBGD-B's v-step by L-BFGS to a tolerance (a line-search upper step without an exact v-step); null otherwise.</summary>
    internal PenalizedLowerStep? InexactLowerStep { get; set; }

    /// <summary>G, the projected-gradient norm of the line search's last accepted point, from which the inexact inner
    /// solves take their tolerances (NaN before the first: they then reduce their residuals by a factor).</summary>
    internal double InnerReference { get; set; } = double.NaN;
}
