using Pbgd.Native.Interop;

namespace Pbgd.Native;

public static unsafe partial class Lapack
{
    /// <summary>Eigenvalues (ascending) and optionally eigenvectors of a symmetric matrix by divide and
    /// conquer (LAPACK dsyevd), row-major.</summary>
    /// <param name="computeVectors">Whether to overwrite A with the orthonormal eigenvectors (as columns).</param>
    /// <param name="uplo">Triangle of A that is referenced.</param>
    /// <param name="n">Order of A.</param>
    /// <param name="a">A, n×n; destroyed, or the eigenvectors.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="w">At least n elements: the eigenvalues, ascending.</param>
    /// <exception cref="LapackConvergenceException">The algorithm did not converge.</exception>
    public static void Syevd(bool computeVectors, Triangle uplo, int n, Span<double> a, int lda, Span<double> w) =>
        Syevd(MatrixLayout.RowMajor, computeVectors, uplo, n, a, lda, w);

    /// <summary>Eigenvalues (ascending) and optionally eigenvectors of a symmetric matrix (LAPACK dsyevd).</summary>
    /// <param name="layout">Storage of A.</param>
    /// <param name="computeVectors">Whether to overwrite A with the orthonormal eigenvectors (as columns).</param>
    /// <param name="uplo">Triangle of A that is referenced.</param>
    /// <param name="n">Order of A.</param>
    /// <param name="a">A, n×n; destroyed, or the eigenvectors.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="w">At least n elements: the eigenvalues, ascending.</param>
    /// <exception cref="LapackConvergenceException">The algorithm did not converge.</exception>
    public static void Syevd(MatrixLayout layout, bool computeVectors, Triangle uplo, int n, Span<double> a,
        int lda, Span<double> w)
    {
        Check.Layout(layout);
        Check.Uplo(uplo, nameof(uplo));
        Check.NonNegative(n, nameof(n));
        Check.Matrix(layout, n, n, lda, a.Length, nameof(a), nameof(lda));
        Check.Length(w.Length, n, nameof(w), "the n eigenvalues");
        Check.NoOverlap(a, w, nameof(a), nameof(w));
        if (n == 0) return;
        int info;
        fixed (double* pa = a) fixed (double* pw = w)
            info = Lapacke.Dsyevd((int)layout, LapackChar.Vectors(computeVectors), LapackChar.Of(uplo), n, pa, lda, pw);
        Check.Common("dsyevd", info);
        if (info > 0)
            throw new LapackConvergenceException("dsyevd", info, "the eigenvalue algorithm did not converge");
    }
}
