using System.Runtime.InteropServices;
using Pbgd.Native.Interop;

namespace Pbgd.Native;

public static unsafe partial class Lapack
{
    /// <summary>Minimum-norm least-squares solution by SVD (LAPACK dgelsd), valid for rank-deficient and
    /// under-determined A; row-major.</summary>
    /// <param name="m">Rows of A.</param>
    /// <param name="n">Columns of A.</param>
    /// <param name="nrhs">Number of right-hand sides; 0 computes only the rank and the singular values.</param>
    /// <param name="a">A, m×n; destroyed.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="b">max(m, n)×nrhs: right-hand sides on entry, solutions (first n rows) on exit.</param>
    /// <param name="ldb">Leading dimension of B.</param>
    /// <param name="s">At least min(m, n) elements: the singular values of A, descending.</param>
    /// <param name="rcond">Singular values ≤ rcond·s[0] count as zero; negative means machine precision.</param>
    /// <returns>The effective rank of A.</returns>
    /// <exception cref="LapackConvergenceException">The SVD did not converge.</exception>
    public static int Gelsd(int m, int n, int nrhs, Span<double> a, int lda, Span<double> b, int ldb,
        Span<double> s, double rcond) =>
        Gelsd(MatrixLayout.RowMajor, m, n, nrhs, a, lda, b, ldb, s, rcond);

    /// <summary>Minimum-norm least-squares solution by SVD (LAPACK dgelsd), valid for rank-deficient and
    /// under-determined A.</summary>
    /// <param name="layout">Storage of A and B.</param>
    /// <param name="m">Rows of A.</param>
    /// <param name="n">Columns of A.</param>
    /// <param name="nrhs">Number of right-hand sides; 0 computes only the rank and the singular values.</param>
    /// <param name="a">A, m×n; destroyed.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="b">max(m, n)×nrhs: right-hand sides on entry, solutions (first n rows) on exit.</param>
    /// <param name="ldb">Leading dimension of B.</param>
    /// <param name="s">At least min(m, n) elements: the singular values of A, descending.</param>
    /// <param name="rcond">Singular values ≤ rcond·s[0] count as zero; negative means machine precision.</param>
    /// <returns>The effective rank of A.</returns>
    /// <exception cref="LapackConvergenceException">The SVD did not converge.</exception>
    public static int Gelsd(MatrixLayout layout, int m, int n, int nrhs, Span<double> a, int lda, Span<double> b,
        int ldb, Span<double> s, double rcond)
    {
        Check.Layout(layout);
        Check.NonNegative(m, nameof(m));
        Check.NonNegative(n, nameof(n));
        Check.NonNegative(nrhs, nameof(nrhs));
        Check.Matrix(layout, m, n, lda, a.Length, nameof(a), nameof(lda));
        Check.Matrix(layout, Math.Max(m, n), nrhs, ldb, b.Length, nameof(b), nameof(ldb));
        Check.Length(s.Length, Math.Min(m, n), nameof(s), "the singular values min(m, n)");
        if (double.IsNaN(rcond)) throw new ArgumentOutOfRangeException(nameof(rcond), rcond, "rcond is NaN.");
        Check.NoOverlap(a, b, nameof(a), nameof(b));
        Check.NoOverlap(a, s, nameof(a), nameof(s));
        Check.NoOverlap(b, s, nameof(b), nameof(s));
        if (Math.Min(m, n) == 0)
        {
            // Zero-sized A: rank 0 and the minimum-norm solution is zero (LAPACK's own quick return).
            for (int i = 0; i < n; i++)
                for (int j = 0; j < nrhs; j++)
                    b[layout == MatrixLayout.RowMajor ? i * ldb + j : i + j * ldb] = 0;
            return 0;
        }
        int info, rank;
        fixed (double* pa = a) fixed (double* pb = b) fixed (double* ps = s)
        {
            if (nrhs > 0)
                info = Lapacke.Dgelsd((int)layout, m, n, nrhs, pa, lda, pb, ldb, ps, rcond, &rank);
            else
            {
                // dgelsd hands nrhs to dlalsd, which requires at least one column: with nrhs = 0 MKL prints
                // "Parameter 4 was incorrect on entry to DLALSD" and fails. Solve for one zero right-hand side
                // in native scratch memory instead (no managed allocation), keeping the rank and s.
                int rows = Math.Max(m, n);
                var scratch = (double*)NativeMemory.AllocZeroed((nuint)rows, sizeof(double));
                try
                {
                    info = Lapacke.Dgelsd((int)layout, m, n, 1, pa, lda, scratch,
                        layout == MatrixLayout.RowMajor ? 1 : rows, ps, rcond, &rank);
                }
                finally
                {
                    NativeMemory.Free(scratch);
                }
            }
        }
        Check.Common("dgelsd", info);
        if (info > 0)
            throw new LapackConvergenceException("dgelsd", info,
                $"the SVD did not converge: {info} off-diagonal elements did not converge to zero");
        return rank;
    }
}
