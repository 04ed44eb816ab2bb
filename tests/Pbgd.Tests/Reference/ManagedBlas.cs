using Pbgd.Native;

namespace Pbgd.Tests.Reference;

/// Plain-loop reference of the BLAS operations, independent of MKL and written to be obviously correct, not
/// fast. Matrices are addressed element by element through (layout, ld), so one loop serves both layouts,
/// every transpose and any padding; only the elements of the matrix are ever read or written.
internal static class ManagedBlas
{
    /// The unit roundoff of IEEE double, u = 2⁻⁵³.
    internal const double Unit = 1.0 / (1L << 53);

    internal static int Index(MatrixLayout layout, int i, int j, int ld) =>
        layout == MatrixLayout.RowMajor ? i * ld + j : i + j * ld;

    /// Element (i, j) of op(A), where A is stored in the given layout with leading dimension ld.
    internal static double OpAt(MatrixLayout layout, Transpose t, ReadOnlySpan<double> a, int ld, int i, int j) =>
        t == Transpose.NoTrans ? a[Index(layout, i, j, ld)] : a[Index(layout, j, i, ld)];

    /// C ← α·op(A)·op(B) + β·C, with op(A) m×k and op(B) k×n. β = 0 means C is not read (BLAS convention).
    internal static void Gemm(MatrixLayout layout, Transpose ta, Transpose tb, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += OpAt(layout, ta, a, lda, i, p) * OpAt(layout, tb, b, ldb, p, j);
                int idx = Index(layout, i, j, ldc);
                c[idx] = beta == 0 ? alpha * s : alpha * s + beta * c[idx];
            }
    }

    /// y ← α·op(A)·x + β·y with A stored m×n (contiguous vectors). β = 0 means y is not read.
    internal static void Gemv(MatrixLayout layout, Transpose t, int m, int n, double alpha, ReadOnlySpan<double> a,
        int lda, ReadOnlySpan<double> x, double beta, Span<double> y)
    {
        int rows = t == Transpose.NoTrans ? m : n, inner = t == Transpose.NoTrans ? n : m;
        for (int i = 0; i < rows; i++)
        {
            double s = 0;
            for (int p = 0; p < inner; p++) s += OpAt(layout, t, a, lda, i, p) * x[p];
            y[i] = beta == 0 ? alpha * s : alpha * s + beta * y[i];
        }
    }

    /// The uplo triangle of C ← α·op(A)·op(A)ᵀ + β·C (op(A) n×k); the other triangle is not touched.
    internal static void Syrk(MatrixLayout layout, Triangle uplo, Transpose t, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, double beta, Span<double> c, int ldc)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (uplo == Triangle.Upper ? j < i : j > i) continue;
                double s = 0;
                for (int p = 0; p < k; p++) s += OpAt(layout, t, a, lda, i, p) * OpAt(layout, t, a, lda, j, p);
                int idx = Index(layout, i, j, ldc);
                c[idx] = beta == 0 ? alpha * s : alpha * s + beta * c[idx];
            }
    }

    internal static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] += alpha * x[i];
    }

    internal static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// ‖x‖₂ scaled by max|xᵢ| so that neither overflow nor underflow can occur.
    internal static double Nrm2(ReadOnlySpan<double> x)
    {
        double scale = 0;
        foreach (double v in x) scale = Math.Max(scale, Math.Abs(v));
        if (scale == 0) return 0;
        double s = 0;
        foreach (double v in x) s += (v / scale) * (v / scale);
        return scale * Math.Sqrt(s);
    }

    internal static void Scal(double alpha, Span<double> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= alpha;
    }

    /// Elementwise |x| (NaN padding stays NaN and is never read by the reference loops).
    internal static double[] Abs(ReadOnlySpan<double> x)
    {
        var r = new double[x.Length];
        for (int i = 0; i < x.Length; i++) r[i] = Math.Abs(x[i]);
        return r;
    }
}
