using Pbgd.Native.Interop;

namespace Pbgd.Native;

public static unsafe partial class Blas
{
    /// <summary>y ← α·x + y.</summary>
    /// <param name="alpha">Scale of x.</param>
    /// <param name="x">x, same length as y.</param>
    /// <param name="y">y, updated in place; must not overlap x.</param>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"x has {x.Length} elements and y has {y.Length}; they must match.", nameof(y));
        // MKL's vectorised daxpy on overlapping x and y gives neither the sequential nor the old-value result.
        Check.NoOverlap(x, y, nameof(x), nameof(y));
        if (y.IsEmpty) return;
        fixed (double* px = x) fixed (double* py = y)
            Cblas.Daxpy(y.Length, alpha, px, 1, py, 1);
    }

    /// <summary>xᵀy.</summary>
    /// <param name="x">x, same length as y.</param>
    /// <param name="y">y.</param>
    /// <returns>The dot product (0 for empty vectors).</returns>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"x has {x.Length} elements and y has {y.Length}; they must match.", nameof(y));
        if (x.IsEmpty) return 0;
        fixed (double* px = x) fixed (double* py = y)
            return Cblas.Ddot(x.Length, px, 1, py, 1);
    }

    /// <summary>‖x‖₂, computed without overflow or underflow (BLAS dnrm2).</summary>
    /// <param name="x">x.</param>
    /// <returns>The Euclidean norm (0 for an empty vector).</returns>
    public static double Nrm2(ReadOnlySpan<double> x)
    {
        if (x.IsEmpty) return 0;
        fixed (double* px = x)
            return Cblas.Dnrm2(x.Length, px, 1);
    }

    /// <summary>x ← α·x.</summary>
    /// <param name="alpha">The scale.</param>
    /// <param name="x">x, scaled in place.</param>
    public static void Scal(double alpha, Span<double> x)
    {
        if (x.IsEmpty) return;
        fixed (double* px = x)
            Cblas.Dscal(x.Length, alpha, px, 1);
    }
}
