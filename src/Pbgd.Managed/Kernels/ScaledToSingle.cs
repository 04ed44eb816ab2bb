using System.Runtime.Intrinsics;

namespace Pbgd.Kernels;

/// <summary>
/// dst = (float)(scale·src), 16 elements per step: the float32 copies of X and the √ψ-scaled rows of the
/// preconditioner's Gram matrix. Vectorised because a scalar loop cost more than half of the ssyrk it feeds.
/// </summary>
internal static class ScaledToSingle
{
    internal static void Run(ReadOnlySpan<double> source, double scale, Span<float> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException($"destination has {destination.Length} elements; source has {source.Length}.", nameof(destination));
        int j = 0;
        if (MicroKernels.UseVector512)
        {
            var s = Vector512.Create(scale);
            for (; j + 16 <= source.Length; j += 16)
            {
                var low = Vector512.Create(source.Slice(j, 8)) * s;
                var high = Vector512.Create(source.Slice(j + 8, 8)) * s;
                Vector512.Narrow(low, high).CopyTo(destination.Slice(j, 16));
            }
        }
        for (; j < source.Length; j++) destination[j] = (float)(scale * source[j]);
    }
}
