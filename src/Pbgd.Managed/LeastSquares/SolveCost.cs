namespace Pbgd.LeastSquares;

/// <summary>
/// The work a solver expects for a system, in flop-equivalents, for <c>auto</c>'s choice between the normal equations and
/// conjugate gradients ("normal@cost"). Arithmetic counts as flops; a pass over X counts as its bytes times
/// <see cref="SolveCost.FlopsPerByte"/>, the machine balance of the skinny passes against the Gram update measured on this
/// project's machines. The estimate depends only on the sizes (N over every process), the weights and the solvers'
/// checkpointed history, so every process and every resumed run chooses alike.
/// </summary>
internal interface ISolveCost
{
    /// <summary>Expected flop-equivalents of solving <paramref name="system"/> next (collective on a distributed shard).</summary>
    double ExpectedWork(LeastSquaresSystem system);
}

internal static class SolveCost
{
    /// <summary>
    /// Flop-equivalents per byte of a pass over X: the Gram update (dsyrk) ran at ≈ 50 GFLOP/s where a fused pass read X at
    /// ≈ 16 GB/s (results/machine-limits.md, N = 60 000, m = 784: 717 ms per normal-equations iteration, 163 ms for cg's
    /// ≈ 7 passes). With it the Gram's N·m² flops outweigh cg's passes for m above ≈ 200.
    /// </summary>
    internal const double FlopsPerByte = 3.0;

    /// <summary>Passes per conjugate-gradient solve before any has run: a few steps and two true residuals.</summary>
    internal const double PriorPasses = 10;
}
