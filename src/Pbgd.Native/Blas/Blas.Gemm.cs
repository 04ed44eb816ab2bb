using Pbgd.Native.Interop;

namespace Pbgd.Native;

public static unsafe partial class Blas
{
    /// <summary>C ← α·op(A)·op(B) + β·C with row-major matrices.</summary>
    /// <param name="transA">op(A) = A or Aᵀ.</param>
    /// <param name="transB">op(B) = B or Bᵀ.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, stored m×k (k×m when transposed).</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="b">B, stored k×n (n×k when transposed).</param>
    /// <param name="ldb">Leading dimension of B.</param>
    /// <param name="beta">Scale of the existing C (0: C is not read).</param>
    /// <param name="c">C, m×n, overwritten; must not overlap A or B.</param>
    /// <param name="ldc">Leading dimension of C.</param>
    public static void Gemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc) =>
        Gemm(MatrixLayout.RowMajor, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>C ← α·op(A)·op(B) + β·C in the given layout.</summary>
    /// <param name="layout">Storage of A, B and C.</param>
    /// <param name="transA">op(A) = A or Aᵀ.</param>
    /// <param name="transB">op(B) = B or Bᵀ.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, stored m×k (k×m when transposed).</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="b">B, stored k×n (n×k when transposed).</param>
    /// <param name="ldb">Leading dimension of B.</param>
    /// <param name="beta">Scale of the existing C (0: C is not read).</param>
    /// <param name="c">C, m×n, overwritten; must not overlap A or B.</param>
    /// <param name="ldc">Leading dimension of C.</param>
    public static void Gemm(MatrixLayout layout, Transpose transA, Transpose transB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta,
        Span<double> c, int ldc)
    {
        Check.Layout(layout);
        Check.Op(transA, nameof(transA));
        Check.Op(transB, nameof(transB));
        Check.NonNegative(m, nameof(m));
        Check.NonNegative(n, nameof(n));
        Check.NonNegative(k, nameof(k));
        bool ta = transA == Transpose.Trans, tb = transB == Transpose.Trans;
        Check.Matrix(layout, ta ? k : m, ta ? m : k, lda, a.Length, nameof(a), nameof(lda));
        Check.Matrix(layout, tb ? n : k, tb ? k : n, ldb, b.Length, nameof(b), nameof(ldb));
        Check.Matrix(layout, m, n, ldc, c.Length, nameof(c), nameof(ldc));
        Check.NoOverlap(a, c, nameof(a), nameof(c));
        Check.NoOverlap(b, c, nameof(b), nameof(c));
        if (m == 0 || n == 0) return;
        double dummy = 0;
        fixed (double* pa = a) fixed (double* pb = b) fixed (double* pc = c)
            Cblas.Dgemm((int)layout, (int)transA, (int)transB, m, n, k, alpha,
                pa == null ? &dummy : pa, lda, pb == null ? &dummy : pb, ldb, beta, pc, ldc);
    }
}
