using Pbgd.Native.Interop;

namespace Pbgd.Native;

public static unsafe partial class Lapack
{
    /// <summary>Solves A·X = B for symmetric positive definite A by Cholesky (LAPACK dposv), row-major.</summary>
    /// <param name="uplo">Triangle of A that is referenced; overwritten by the Cholesky factor.</param>
    /// <param name="n">Order of A.</param>
    /// <param name="nrhs">Number of right-hand sides.</param>
    /// <param name="a">A, n×n.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="b">B, n×nrhs; overwritten by X.</param>
    /// <param name="ldb">Leading dimension of B.</param>
    /// <exception cref="MatrixNotPositiveDefiniteException">A is not positive definite.</exception>
    public static void Posv(Triangle uplo, int n, int nrhs, Span<double> a, int lda, Span<double> b, int ldb) =>
        Posv(MatrixLayout.RowMajor, uplo, n, nrhs, a, lda, b, ldb);

    /// <summary>Solves A·X = B for symmetric positive definite A by Cholesky (LAPACK dposv).</summary>
    /// <param name="layout">Storage of A and B.</param>
    /// <param name="uplo">Triangle of A that is referenced; overwritten by the Cholesky factor.</param>
    /// <param name="n">Order of A.</param>
    /// <param name="nrhs">Number of right-hand sides.</param>
    /// <param name="a">A, n×n.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="b">B, n×nrhs; overwritten by X.</param>
    /// <param name="ldb">Leading dimension of B.</param>
    /// <exception cref="MatrixNotPositiveDefiniteException">A is not positive definite.</exception>
    public static void Posv(MatrixLayout layout, Triangle uplo, int n, int nrhs, Span<double> a, int lda,
        Span<double> b, int ldb)
    {
        Check.Layout(layout);
        Check.Uplo(uplo, nameof(uplo));
        Check.NonNegative(n, nameof(n));
        Check.NonNegative(nrhs, nameof(nrhs));
        Check.Matrix(layout, n, n, lda, a.Length, nameof(a), nameof(lda));
        Check.Matrix(layout, n, nrhs, ldb, b.Length, nameof(b), nameof(ldb));
        Check.NoOverlap(a, b, nameof(a), nameof(b));
        if (n == 0) return;
        int info;
        double dummy = 0;
        fixed (double* pa = a) fixed (double* pb = b)
            info = Lapacke.Dposv((int)layout, LapackChar.Of(uplo), n, nrhs, pa, lda, pb == null ? &dummy : pb, ldb);
        Check.Common("dposv", info);
        if (info > 0) throw new MatrixNotPositiveDefiniteException("dposv", info);
    }

    /// <summary>Cholesky factorisation A = UᵀU or LLᵀ in place (LAPACK dpotrf), row-major.</summary>
    /// <param name="uplo">Triangle of A referenced and overwritten by the factor.</param>
    /// <param name="n">Order of A.</param>
    /// <param name="a">A, n×n.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <exception cref="MatrixNotPositiveDefiniteException">A is not positive definite.</exception>
    public static void Potrf(Triangle uplo, int n, Span<double> a, int lda) =>
        Potrf(MatrixLayout.RowMajor, uplo, n, a, lda);

    /// <summary>Cholesky factorisation A = UᵀU or LLᵀ in place (LAPACK dpotrf).</summary>
    /// <param name="layout">Storage of A.</param>
    /// <param name="uplo">Triangle of A referenced and overwritten by the factor.</param>
    /// <param name="n">Order of A.</param>
    /// <param name="a">A, n×n.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <exception cref="MatrixNotPositiveDefiniteException">A is not positive definite.</exception>
    public static void Potrf(MatrixLayout layout, Triangle uplo, int n, Span<double> a, int lda)
    {
        if (!TryPotrf(layout, uplo, n, a, lda, out int minor)) throw new MatrixNotPositiveDefiniteException("dpotrf", minor);
    }

    /// <summary>
    /// <see cref="Potrf(MatrixLayout,Triangle,int,Span{double},int)"/> for callers that expect indefinite matrices
    /// (a conditioning test, a shift search): false instead of an exception, which would allocate on a hot path.
    /// </summary>
    /// <param name="layout">Storage of A.</param>
    /// <param name="uplo">Triangle of A referenced and overwritten by the factor.</param>
    /// <param name="n">Order of A.</param>
    /// <param name="a">A, n×n; on failure it holds a partial factorisation.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="failingMinor">On failure, the order of the leading minor that is not positive definite; else 0.</param>
    /// <returns>Whether A was positive definite (and is now factored).</returns>
    public static bool TryPotrf(MatrixLayout layout, Triangle uplo, int n, Span<double> a, int lda, out int failingMinor)
    {
        Check.Layout(layout);
        Check.Uplo(uplo, nameof(uplo));
        Check.NonNegative(n, nameof(n));
        Check.Matrix(layout, n, n, lda, a.Length, nameof(a), nameof(lda));
        failingMinor = 0;
        if (n == 0) return true;
        int info;
        fixed (double* pa = a)
            info = Lapacke.Dpotrf((int)layout, LapackChar.Of(uplo), n, pa, lda);
        Check.Common("dpotrf", info);
        failingMinor = Math.Max(info, 0);
        return info == 0;
    }

    /// <summary>Solves A·X = B with a Cholesky factor from <see cref="Potrf(Triangle,int,Span{double},int)"/>
    /// (LAPACK dpotrs), row-major.</summary>
    /// <param name="uplo">The triangle that holds the factor.</param>
    /// <param name="n">Order of A.</param>
    /// <param name="nrhs">Number of right-hand sides.</param>
    /// <param name="factor">The Cholesky factor, n×n.</param>
    /// <param name="lda">Leading dimension of the factor.</param>
    /// <param name="b">B, n×nrhs; overwritten by X.</param>
    /// <param name="ldb">Leading dimension of B.</param>
    public static void Potrs(Triangle uplo, int n, int nrhs, ReadOnlySpan<double> factor, int lda, Span<double> b, int ldb) =>
        Potrs(MatrixLayout.RowMajor, uplo, n, nrhs, factor, lda, b, ldb);

    /// <summary>Solves A·X = B with a Cholesky factor (LAPACK dpotrs).</summary>
    /// <param name="layout">Storage of the factor and B.</param>
    /// <param name="uplo">The triangle that holds the factor.</param>
    /// <param name="n">Order of A.</param>
    /// <param name="nrhs">Number of right-hand sides.</param>
    /// <param name="factor">The Cholesky factor, n×n.</param>
    /// <param name="lda">Leading dimension of the factor.</param>
    /// <param name="b">B, n×nrhs; overwritten by X.</param>
    /// <param name="ldb">Leading dimension of B.</param>
    public static void Potrs(MatrixLayout layout, Triangle uplo, int n, int nrhs, ReadOnlySpan<double> factor,
        int lda, Span<double> b, int ldb)
    {
        Check.Layout(layout);
        Check.Uplo(uplo, nameof(uplo));
        Check.NonNegative(n, nameof(n));
        Check.NonNegative(nrhs, nameof(nrhs));
        Check.Matrix(layout, n, n, lda, factor.Length, nameof(factor), nameof(lda));
        Check.Matrix(layout, n, nrhs, ldb, b.Length, nameof(b), nameof(ldb));
        Check.NoOverlap(factor, b, nameof(factor), nameof(b));
        if (n == 0 || nrhs == 0) return;
        int info;
        fixed (double* pa = factor) fixed (double* pb = b)
            info = Lapacke.Dpotrs((int)layout, LapackChar.Of(uplo), n, nrhs, pa, lda, pb, ldb);
        Check.Common("dpotrs", info);
    }

    /// <summary>
    /// The inverse of A from its Cholesky factor (LAPACK dpotri): the triangle that held the factor is overwritten by
    /// that triangle of A⁻¹; the other triangle is neither read nor written.
    /// </summary>
    /// <param name="layout">Storage of the factor.</param>
    /// <param name="uplo">The triangle that holds the factor from <see cref="Potrf(MatrixLayout,Triangle,int,Span{double},int)"/>.</param>
    /// <param name="n">Order of A.</param>
    /// <param name="a">The factor, n×n; overwritten by the triangle of A⁻¹.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <exception cref="MatrixSingularException">The factor has a zero diagonal entry (A is singular).</exception>
    public static void Potri(MatrixLayout layout, Triangle uplo, int n, Span<double> a, int lda)
    {
        Check.Layout(layout);
        Check.Uplo(uplo, nameof(uplo));
        Check.NonNegative(n, nameof(n));
        Check.Matrix(layout, n, n, lda, a.Length, nameof(a), nameof(lda));
        if (n == 0) return;
        int info;
        fixed (double* pa = a)
            info = Lapacke.Dpotri((int)layout, LapackChar.Of(uplo), n, pa, lda);
        Check.Common("dpotri", info);
        if (info > 0) throw new MatrixSingularException("dpotri", info, $"the factor's diagonal entry {info} is zero, so A has no inverse");
    }
}
