using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>The state of an RXGF run: the shared iterates and RXGF's gradients, ∇h and direction buffers.</summary>
public sealed class RxgfState : SolverState
{
    internal RxgfState(int n, int p) : base(n, p)
    {
        (GradFU, HU, NextU) = (new double[n], new double[n], new double[n]);
        (GradFV, GradGV, HV) = (new double[p], new double[p], new double[p]);
    }

    internal double[] GradFU { get; }
    internal double[] GradFV { get; }
    internal double[] GradGV { get; }
    internal double[] HU { get; }
    internal double[] HV { get; }
    internal double[] NextU { get; }
    internal Smoothness Smoothness { get; set; }
    internal bool Infeasible { get; set; }
}
