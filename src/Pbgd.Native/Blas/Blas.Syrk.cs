using Pbgd.Native.Interop;

namespace Pbgd.Native;

public static unsafe partial class Blas
{
    /// <summary>C ← α·op(A)·op(A)ᵀ + β·C on one triangle of a row-major symmetric C (the Gram matrix
    /// XᵀX is <c>Syrk(uplo, Trans, m, N, 1, X, m, 0, C, m)</c>).</summary>
    /// <param name="uplo">Triangle of C that is updated; the other is not touched.</param>
    /// <param name="trans">NoTrans: A is n×k and C = A·Aᵀ; Trans: A is k×n and C = Aᵀ·A.</param>
    /// <param name="n">Order of C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="beta">Scale of the existing C.</param>
    /// <param name="c">C, n×n.</param>
    /// <param name="ldc">Leading dimension of C.</param>
    public static void Syrk(Triangle uplo, Transpose trans, int n, int k, double alpha, ReadOnlySpan<double> a,
        int lda, double beta, Span<double> c, int ldc) =>
        Syrk(MatrixLayout.RowMajor, uplo, trans, n, k, alpha, a, lda, beta, c, ldc);

    /// <summary>C ← α·op(A)·op(A)ᵀ + β·C on one triangle of a symmetric C, in the given layout.</summary>
    /// <param name="layout">Storage of A and C.</param>
    /// <param name="uplo">Triangle of C that is updated; the other is not touched.</param>
    /// <param name="trans">NoTrans: A is n×k and C = A·Aᵀ; Trans: A is k×n and C = Aᵀ·A.</param>
    /// <param name="n">Order of C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="beta">Scale of the existing C.</param>
    /// <param name="c">C, n×n.</param>
    /// <param name="ldc">Leading dimension of C.</param>
    public static void Syrk(MatrixLayout layout, Triangle uplo, Transpose trans, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, double beta, Span<double> c, int ldc)
    {
        Check.Layout(layout);
        Check.Uplo(uplo, nameof(uplo));
        Check.Op(trans, nameof(trans));
        Check.NonNegative(n, nameof(n));
        Check.NonNegative(k, nameof(k));
        bool t = trans == Transpose.Trans;
        Check.Matrix(layout, t ? k : n, t ? n : k, lda, a.Length, nameof(a), nameof(lda));
        Check.Matrix(layout, n, n, ldc, c.Length, nameof(c), nameof(ldc));
        Check.NoOverlap(a, c, nameof(a), nameof(c));
        if (n == 0) return;
        double dummy = 0;
        fixed (double* pa = a) fixed (double* pc = c)
            Cblas.Dsyrk((int)layout, (int)uplo, (int)trans, n, k, alpha, pa == null ? &dummy : pa, lda, beta, pc, ldc);
    }

    /// <summary>Single-precision C ← α·op(A)·op(A)ᵀ + β·C on one triangle of a row-major symmetric C: twice the
    /// rate of the double version, for uses that need only an approximation (e.g. a preconditioner).</summary>
    /// <param name="uplo">Triangle of C that is updated; the other is not touched.</param>
    /// <param name="trans">NoTrans: A is n×k and C = A·Aᵀ; Trans: A is k×n and C = Aᵀ·A.</param>
    /// <param name="n">Order of C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="beta">Scale of the existing C.</param>
    /// <param name="c">C, n×n.</param>
    /// <param name="ldc">Leading dimension of C.</param>
    public static void Syrk(Triangle uplo, Transpose trans, int n, int k, float alpha, ReadOnlySpan<float> a,
        int lda, float beta, Span<float> c, int ldc)
    {
        Check.Uplo(uplo, nameof(uplo));
        Check.Op(trans, nameof(trans));
        Check.NonNegative(n, nameof(n));
        Check.NonNegative(k, nameof(k));
        bool t = trans == Transpose.Trans;
        Check.Matrix(MatrixLayout.RowMajor, t ? k : n, t ? n : k, lda, a.Length, nameof(a), nameof(lda));
        Check.Matrix(MatrixLayout.RowMajor, n, n, ldc, c.Length, nameof(c), nameof(ldc));
        if (!a.IsEmpty && !c.IsEmpty && a.Overlaps(c))
            throw new ArgumentException("c overlaps a; BLAS requires distinct memory.", nameof(c));
        if (n == 0) return;
        float dummy = 0;
        fixed (float* pa = a) fixed (float* pc = c)
            Cblas.Ssyrk((int)MatrixLayout.RowMajor, (int)uplo, (int)trans, n, k, alpha, pa == null ? &dummy : pa, lda, beta, pc, ldc);
    }
}
