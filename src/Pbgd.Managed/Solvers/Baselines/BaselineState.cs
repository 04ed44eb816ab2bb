namespace Pbgd.Solvers.Baselines;

/// <summary>The state of an F²SA or BOME run: the shared iterates, the auxiliary iterate z and the gradient buffers.</summary>
public sealed class BaselineState : SolverState
{
    internal BaselineState(int n, int p) : base(n, p)
    {
        (GradFU, GradGU, GradZU) = (new double[n], new double[n], new double[n]);
        (Z, GradFV, GradGV, GradZV) = (new double[p], new double[p], new double[p], new double[p]);
    }

    /// <summary>The auxiliary lower-level iterate (F²SA's z, BOME's v^(T)).</summary>
    public double[] Z { get; }

    internal double[] GradFU { get; }
    internal double[] GradFV { get; }
    internal double[] GradGU { get; }
    internal double[] GradGV { get; }
    internal double[] GradZU { get; }
    internal double[] GradZV { get; }
    internal double Multiplier { get; set; }
    internal double Step { get; set; }
    internal double StepNorm { get; set; }
}
