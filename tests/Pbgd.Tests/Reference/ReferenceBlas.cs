using Pbgd.Native;

namespace Pbgd.Tests.Reference;

/// Plain-loop reference of the BLAS operations, obviously correct and independent of MKL.
internal static class ReferenceBlas
{
    internal static int Index(MatrixLayout layout, int i, int j, int ld) => layout == MatrixLayout.RowMajor ? i * ld + j : i + j * ld;

    internal static double Op(MatrixLayout layout, Transpose t, double[] a, int lda, int i, int j) =>
        t == Transpose.NoTrans ? a[Index(layout, i, j, lda)] : a[Index(layout, j, i, lda)];

    /// C ← αop(A)op(B) + βC; also returns the elementwise bound matrix |α||op(A)||op(B)| + |β||C₀| for the normwise test.
    internal static double[] Gemm(MatrixLayout layout, Transpose ta, Transpose tb, int m, int n, int k, double alpha,
        double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc)
    {
        var bound = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0, abs = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = Op(layout, ta, a, lda, i, p), y = Op(layout, tb, b, ldb, p, j);
                    s += x * y;
                    abs += Math.Abs(x * y);
                }
                int idx = Index(layout, i, j, ldc);
                double c0 = beta == 0 ? 0 : c[idx];
                bound[i * n + j] = Math.Abs(alpha) * abs + Math.Abs(beta * c0);
                c[idx] = alpha * s + beta * c0;
            }
        return bound;
    }
}
