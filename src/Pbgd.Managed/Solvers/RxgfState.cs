using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>The state of an RXGF run: the shared iterates and RXGF's gradients, ∇h and direction buffers.</summary>
public sealed class RxgfState : SolverState
{
    internal RxgfState(int n, int p) : base(n, p)
    {
        (GradFU, HU, NextU, DirectionU) = (new double[n], new double[n], new double[n], new double[n]);
        (GradFV, GradGV, HV) = (new double[p], new double[p], new double[p]);
        (TrialU, TrialV, TrialGradV) = (new double[n], new double[p], new double[p]);
    }

    internal double[] GradFU { get; }
    internal double[] GradFV { get; }
    internal double[] GradGV { get; }
    internal double[] HU { get; }
    internal double[] HV { get; }
    internal double[] NextU { get; }
    // η₀·d_u of the first trial (before projection).
    internal double[] DirectionU { get; }
    internal Smoothness Smoothness { get; set; }
    internal bool Infeasible { get; set; }
    internal double[] TrialU { get; }
    internal double[] TrialV { get; }
    internal double[] TrialGradV { get; }
    // Backtracking: the last accepted η (NaN before the first step), the merit's penalty ρ, and M at the measured point.
    internal double AcceptedStep { get; set; } = double.NaN;
    internal double Rho { get; set; }
    internal double Merit { get; set; }
    internal double DerivedStep { get; set; }
}
