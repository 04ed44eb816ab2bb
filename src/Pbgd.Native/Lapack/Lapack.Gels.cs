using Pbgd.Native.Interop;

namespace Pbgd.Native;

public static unsafe partial class Lapack
{
    /// <summary>Least squares (m ≥ n) or minimum-norm (m &lt; n) solution of a system whose A has full rank, by QR/LQ (LAPACK
    /// dgels), row-major. It does not establish the rank: see the exception.</summary>
    /// <param name="trans">NoTrans solves with A; Trans with Aᵀ.</param>
    /// <param name="m">Rows of A.</param>
    /// <param name="n">Columns of A.</param>
    /// <param name="nrhs">Number of right-hand sides.</param>
    /// <param name="a">A, m×n; overwritten by its QR (or LQ) factorisation.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="b">max(m, n)×nrhs: the right-hand sides on entry, the solutions (first rows) on exit.</param>
    /// <param name="ldb">Leading dimension of B.</param>
    /// <exception cref="MatrixSingularException">A diagonal element of the triangular factor R (L when m &lt; n) is exactly
    /// zero (LAPACK's info &gt; 0), as for a zero column of A. This is the only rank test dgels makes: a rank-deficient A
    /// whose factor's diagonal is tiny but not zero after rounding — exactly collinear columns, for instance — is not
    /// detected, and the solution returned is meaningless (typically enormous). When A may be rank-deficient or
    /// ill-conditioned use <see cref="Gelsd(int,int,int,Span{double},int,Span{double},int,Span{double},double)"/>, which
    /// reports the numerical rank.</exception>
    public static void Gels(Transpose trans, int m, int n, int nrhs, Span<double> a, int lda, Span<double> b, int ldb) =>
        Gels(MatrixLayout.RowMajor, trans, m, n, nrhs, a, lda, b, ldb);

    /// <summary>Least squares (m ≥ n) or minimum-norm (m &lt; n) solution of a system whose A has full rank, by QR/LQ (LAPACK
    /// dgels). It does not establish the rank: see the exception.</summary>
    /// <param name="layout">Storage of A and B.</param>
    /// <param name="trans">NoTrans solves with A; Trans with Aᵀ.</param>
    /// <param name="m">Rows of A.</param>
    /// <param name="n">Columns of A.</param>
    /// <param name="nrhs">Number of right-hand sides.</param>
    /// <param name="a">A, m×n; overwritten by its QR (or LQ) factorisation.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="b">max(m, n)×nrhs: the right-hand sides on entry, the solutions (first rows) on exit.</param>
    /// <param name="ldb">Leading dimension of B.</param>
    /// <exception cref="MatrixSingularException">A diagonal element of the triangular factor is exactly zero; a
    /// numerically rank-deficient A (e.g. collinear columns) is not detected (see the row-major overload).</exception>
    public static void Gels(MatrixLayout layout, Transpose trans, int m, int n, int nrhs, Span<double> a, int lda,
        Span<double> b, int ldb)
    {
        Check.Layout(layout);
        Check.Op(trans, nameof(trans));
        Check.NonNegative(m, nameof(m));
        Check.NonNegative(n, nameof(n));
        Check.NonNegative(nrhs, nameof(nrhs));
        Check.Matrix(layout, m, n, lda, a.Length, nameof(a), nameof(lda));
        Check.Matrix(layout, Math.Max(m, n), nrhs, ldb, b.Length, nameof(b), nameof(ldb));
        Check.NoOverlap(a, b, nameof(a), nameof(b));
        if (Math.Min(m, n) == 0 && nrhs == 0) return;
        double dummy = 0;
        int info;
        fixed (double* pa = a) fixed (double* pb = b)
            info = Lapacke.Dgels((int)layout, LapackChar.Of(trans), m, n, nrhs, pa == null ? &dummy : pa, lda,
                pb == null ? &dummy : pb, ldb);
        Check.Common("dgels", info);
        if (info > 0)
            throw new MatrixSingularException("dgels", info,
                $"diagonal element {info} of the triangular factor is exactly zero: A does not have full rank");
    }
}
