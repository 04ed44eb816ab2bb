using Pbgd.Native.Interop;

namespace Pbgd.Native;

public static unsafe partial class Lapack
{
    /// <summary>Equality-constrained least squares: minimise ‖c − A·x‖₂ subject to B·x = d (LAPACK dgglse), row-major.</summary>
    /// <param name="m">Rows of A.</param>
    /// <param name="n">Columns of A and B (unknowns).</param>
    /// <param name="p">Rows of B (constraints); needs p ≤ n ≤ m + p.</param>
    /// <param name="a">A, m×n; destroyed.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="b">B, p×n; destroyed.</param>
    /// <param name="ldb">Leading dimension of B.</param>
    /// <param name="c">c, length m; destroyed (its tail holds the residual part).</param>
    /// <param name="d">d, length p; destroyed.</param>
    /// <param name="x">x, length n: the solution. No two of a, b, c, d and x may overlap.</param>
    /// <exception cref="MatrixSingularException">B lacks full row rank, or [A; B] lacks full column rank.</exception>
    public static void Gglse(int m, int n, int p, Span<double> a, int lda, Span<double> b, int ldb,
        Span<double> c, Span<double> d, Span<double> x) =>
        Gglse(MatrixLayout.RowMajor, m, n, p, a, lda, b, ldb, c, d, x);

    /// <summary>Equality-constrained least squares: minimise ‖c − A·x‖₂ subject to B·x = d (LAPACK dgglse).</summary>
    /// <param name="layout">Storage of A and B.</param>
    /// <param name="m">Rows of A.</param>
    /// <param name="n">Columns of A and B (unknowns).</param>
    /// <param name="p">Rows of B (constraints); needs p ≤ n ≤ m + p.</param>
    /// <param name="a">A, m×n; destroyed.</param>
    /// <param name="lda">Leading dimension of A.</param>
    /// <param name="b">B, p×n; destroyed.</param>
    /// <param name="ldb">Leading dimension of B.</param>
    /// <param name="c">c, length m; destroyed.</param>
    /// <param name="d">d, length p; destroyed.</param>
    /// <param name="x">x, length n: the solution. No two of a, b, c, d and x may overlap.</param>
    /// <exception cref="MatrixSingularException">B lacks full row rank, or [A; B] lacks full column rank.</exception>
    public static void Gglse(MatrixLayout layout, int m, int n, int p, Span<double> a, int lda, Span<double> b,
        int ldb, Span<double> c, Span<double> d, Span<double> x)
    {
        Check.Layout(layout);
        Check.NonNegative(m, nameof(m));
        Check.NonNegative(n, nameof(n));
        Check.NonNegative(p, nameof(p));
        if (p > n || n > m + p)
            throw new ArgumentException($"gglse needs p ≤ n ≤ m + p; got m = {m}, n = {n}, p = {p}.", nameof(n));
        Check.Matrix(layout, m, n, lda, a.Length, nameof(a), nameof(lda));
        Check.Matrix(layout, p, n, ldb, b.Length, nameof(b), nameof(ldb));
        Check.Length(c.Length, m, nameof(c), "the m rows of A");
        Check.Length(d.Length, p, nameof(d), "the p rows of B");
        Check.Length(x.Length, n, nameof(x), "the n unknowns");
        // Every operand is written (a, b, c, d are destroyed, x is the result): no two may share memory.
        Check.NoOverlap(a, b, nameof(a), nameof(b));
        Check.NoOverlap(a, c, nameof(a), nameof(c));
        Check.NoOverlap(b, c, nameof(b), nameof(c));
        Check.NoOverlap(a, d, nameof(a), nameof(d));
        Check.NoOverlap(b, d, nameof(b), nameof(d));
        Check.NoOverlap(c, d, nameof(c), nameof(d));
        Check.NoOverlap(a, x, nameof(a), nameof(x));
        Check.NoOverlap(b, x, nameof(b), nameof(x));
        Check.NoOverlap(c, x, nameof(c), nameof(x));
        Check.NoOverlap(d, x, nameof(d), nameof(x));
        if (n == 0) return;
        int info;
        double dummy = 0;
        fixed (double* pa = a) fixed (double* pb = b) fixed (double* pc = c) fixed (double* pd = d) fixed (double* px = x)
            info = Lapacke.Dgglse((int)layout, m, n, p, pa == null ? &dummy : pa, lda, pb == null ? &dummy : pb, ldb,
                pc == null ? &dummy : pc, pd == null ? &dummy : pd, px);
        Check.Common("dgglse", info);
        if (info == 1)
            throw new MatrixSingularException("dgglse", info, "the constraint matrix B does not have full row rank");
        if (info == 2)
            throw new MatrixSingularException("dgglse", info, "the stacked matrix [A; B] does not have full column rank");
    }
}
