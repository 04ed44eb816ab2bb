using System.Runtime.Intrinsics;

namespace Pbgd.Kernels;

/// <summary>Exact float → double widening of a span (vectorised).</summary>
internal static class Widened
{
    internal static void Run(ReadOnlySpan<float> source, Span<double> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException($"destination has {destination.Length} elements; source has {source.Length}.", nameof(destination));
        int j = 0;
        if (MicroKernels.UseVector512)
            for (; j + 16 <= source.Length; j += 16)
            {
                var (lower, upper) = Vector512.Widen(Vector512.Create(source.Slice(j, 16)));
                lower.CopyTo(destination.Slice(j, 8));
                upper.CopyTo(destination.Slice(j + 8, 8));
            }
        for (; j < source.Length; j++) destination[j] = source[j];
    }
}
