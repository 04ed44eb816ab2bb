namespace Pbgd.Tests.Support;

/// Managed Gaussian elimination with partial pivoting: an independent reference for small linear systems.
internal static class DenseSolve
{
    /// Solves A x = b (A n×n row-major, copied).
    internal static double[] Solve(double[] a, double[] b, int n)
    {
        var m = (double[])a.Clone();
        var x = (double[])b.Clone();
        for (int k = 0; k < n; k++)
        {
            int p = k;
            for (int i = k + 1; i < n; i++) if (Math.Abs(m[i * n + k]) > Math.Abs(m[p * n + k])) p = i;
            for (int j = 0; j < n; j++) (m[k * n + j], m[p * n + j]) = (m[p * n + j], m[k * n + j]);
            (x[k], x[p]) = (x[p], x[k]);
            for (int i = k + 1; i < n; i++)
            {
                double f = m[i * n + k] / m[k * n + k];
                for (int j = k; j < n; j++) m[i * n + j] -= f * m[k * n + j];
                x[i] -= f * x[k];
            }
        }
        for (int k = n - 1; k >= 0; k--)
        {
            double s = x[k];
            for (int j = k + 1; j < n; j++) s -= m[k * n + j] * x[j];
            x[k] = s / m[k * n + k];
        }
        return x;
    }
}
