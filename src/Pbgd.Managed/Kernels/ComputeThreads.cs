using Pbgd.Native;

namespace Pbgd.Kernels;

/// <summary>
/// The one public place that sets how many threads Pbgd computes with: MKL's (LAPACK, the Gram matrices) and those of
/// the project's own skinny-product kernels. Results do not depend on the kernels' count (their work is split into a
/// fixed partition); MKL's results can, unless its reproducibility mode is pinned (see docs/environment.md).
/// </summary>
public static class ComputeThreads
{
    /// <summary>Threads the skinny-product kernels use (the caller's included).</summary>
    public static int Kernels => KernelPool.Threads;

    /// <summary>Uses <paramref name="threads"/> threads for MKL and for the kernels.</summary>
    /// <param name="threads">At least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public static void Set(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        MklLibrary.SetThreads(threads);
        KernelPool.Threads = threads;
    }
}
