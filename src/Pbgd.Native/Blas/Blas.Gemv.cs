using Pbgd.Native.Interop;

namespace Pbgd.Native;

public static unsafe partial class Blas
{
    /// <summary>y ← α·op(A)·x + β·y with a row-major A (contiguous vectors).</summary>
    /// <param name="trans">op(A) = A or Aᵀ.</param>
    /// <param name="m">Rows of A as stored.</param>
    /// <param name="n">Columns of A as stored.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, m×n.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="x">x: length n (m when transposed).</param>
    /// <param name="beta">Scale of the existing y (0: y is not read).</param>
    /// <param name="y">y: length m (n when transposed), overwritten.</param>
    public static void Gemv(Transpose trans, int m, int n, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> x, double beta, Span<double> y) =>
        Gemv(MatrixLayout.RowMajor, trans, m, n, alpha, a, lda, x, beta, y);

    /// <summary>y ← α·op(A)·x + β·y in the given layout (contiguous vectors).</summary>
    /// <param name="layout">Storage of A.</param>
    /// <param name="trans">op(A) = A or Aᵀ.</param>
    /// <param name="m">Rows of A as stored.</param>
    /// <param name="n">Columns of A as stored.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, m×n.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="x">x: length n (m when transposed).</param>
    /// <param name="beta">Scale of the existing y (0: y is not read).</param>
    /// <param name="y">y: length m (n when transposed), overwritten.</param>
    public static void Gemv(MatrixLayout layout, Transpose trans, int m, int n, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        Check.Layout(layout);
        Check.Op(trans, nameof(trans));
        Check.NonNegative(m, nameof(m));
        Check.NonNegative(n, nameof(n));
        Check.Matrix(layout, m, n, lda, a.Length, nameof(a), nameof(lda));
        bool t = trans == Transpose.Trans;
        Check.Length(x.Length, t ? m : n, nameof(x), "op(A)·x");
        Check.Length(y.Length, t ? n : m, nameof(y), "op(A)·x");
        Check.NoOverlap(a, y, nameof(a), nameof(y));
        Check.NoOverlap(x, y, nameof(x), nameof(y));
        if ((t ? n : m) == 0) return;
        if ((t ? m : n) == 0)
        {
            // Empty inner dimension: op(A)·x = 0, so y ← β·y. Reference BLAS quick-returns here without
            // applying β; the documented operation is kept instead (β = 0 does not read y, as in BLAS).
            if (beta == 0) y[..(t ? n : m)].Clear();
            else if (beta != 1) Scal(beta, y[..(t ? n : m)]);
            return;
        }
        double dummy = 0;
        fixed (double* pa = a) fixed (double* px = x) fixed (double* py = y)
            Cblas.Dgemv((int)layout, (int)trans, m, n, alpha, pa == null ? &dummy : pa, lda,
                px == null ? &dummy : px, 1, beta, py, 1);
    }
}
