namespace Pbgd.Tests.Reference;

/// Plain managed dense linear algebra on double[,] (row index first), independent of MKL: the references
/// the LAPACK bindings are judged against. Small sizes only; clarity over speed.
internal static class ManagedLapack
{
    internal static double[,] Random(Random random, int rows, int cols)
    {
        var a = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) a[i, j] = 2 * random.NextDouble() - 1;
        return a;
    }

    internal static double[,] Identity(int n)
    {
        var a = new double[n, n];
        for (int i = 0; i < n; i++) a[i, i] = 1;
        return a;
    }

    internal static double[,] Transposed(double[,] a)
    {
        var t = new double[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) t[j, i] = a[i, j];
        return t;
    }

    internal static double[,] Multiply(double[,] a, double[,] b)
    {
        int m = a.GetLength(0), k = a.GetLength(1), n = b.GetLength(1);
        if (b.GetLength(0) != k) throw new ArgumentException("inner dimensions differ");
        var c = new double[m, n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i, p] * b[p, j];
                c[i, j] = s;
            }
        return c;
    }

    internal static double[,] Subtract(double[,] a, double[,] b)
    {
        var c = (double[,])a.Clone();
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) c[i, j] -= b[i, j];
        return c;
    }

    internal static double Frobenius(double[,] a)
    {
        double s = 0;
        foreach (double v in a) s += v * v;
        return Math.Sqrt(s);
    }

    /// Columns [from, to) of a.
    internal static double[,] Columns(double[,] a, int from, int to)
    {
        var c = new double[a.GetLength(0), to - from];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = from; j < to; j++) c[i, j - from] = a[i, j];
        return c;
    }

    /// Householder QR: A = Q·R with Q m×m orthogonal and R m×n upper triangular.
    internal static (double[,] Q, double[,] R) HouseholderQr(double[,] a)
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        var r = (double[,])a.Clone();
        var q = Identity(m);
        for (int k = 0; k < Math.Min(m - 1, n); k++)
        {
            double norm = 0;
            for (int i = k; i < m; i++) norm += r[i, k] * r[i, k];
            norm = Math.Sqrt(norm);
            if (norm == 0) continue;
            // v = x + sign(x₀)‖x‖e₀ (no cancellation); H = I − 2vvᵀ/(vᵀv).
            var v = new double[m];
            for (int i = k; i < m; i++) v[i] = r[i, k];
            v[k] += r[k, k] >= 0 ? norm : -norm;
            double vv = 0;
            for (int i = k; i < m; i++) vv += v[i] * v[i];
            for (int j = 0; j < n; j++) // R ← H·R, column by column
            {
                double s = 0;
                for (int i = k; i < m; i++) s += v[i] * r[i, j];
                for (int i = k; i < m; i++) r[i, j] -= 2 * s / vv * v[i];
            }
            for (int j = 0; j < m; j++) // Q ← Q·H, row by row (H is symmetric)
            {
                double s = 0;
                for (int i = k; i < m; i++) s += q[j, i] * v[i];
                for (int i = k; i < m; i++) q[j, i] -= 2 * s / vv * v[i];
            }
        }
        return (q, r);
    }

    /// A random n×n orthogonal matrix (the Q of a random matrix's Householder QR).
    internal static double[,] RandomOrthogonal(Random random, int n) => HouseholderQr(Random(random, n, n)).Q;

    /// U·diag(σ)·Vᵀ with U m×r and V n×r the first r = σ.Length columns of random orthogonal matrices:
    /// a matrix whose singular values and singular vectors are known by construction.
    internal static (double[,] A, double[,] U, double[,] V) WithSingularValues(Random random, int m, int n, double[] sigma)
    {
        var u = RandomOrthogonal(random, m);
        var v = RandomOrthogonal(random, n);
        var us = Columns(u, 0, sigma.Length);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < sigma.Length; j++) us[i, j] *= sigma[j];
        return (Multiply(us, Transposed(Columns(v, 0, sigma.Length))), u, v);
    }

    /// Least-squares solution of a full-column-rank A (m ≥ n) by Householder QR: R₁X = (QᵀB)₁.
    internal static double[,] LeastSquares(double[,] a, double[,] b)
    {
        int n = a.GetLength(1), nrhs = b.GetLength(1);
        var (q, r) = HouseholderQr(a);
        var qtb = Multiply(Transposed(q), b);
        var x = new double[n, nrhs];
        for (int c = 0; c < nrhs; c++)
            for (int i = n - 1; i >= 0; i--)
            {
                double s = qtb[i, c];
                for (int j = i + 1; j < n; j++) s -= r[i, j] * x[j, c];
                x[i, c] = s / r[i, i];
            }
        return x;
    }

    /// Solves A·X = B (A square, nonsingular) by Gaussian elimination with partial pivoting.
    internal static double[,] Solve(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), nrhs = b.GetLength(1);
        var m = (double[,])a.Clone();
        var x = (double[,])b.Clone();
        for (int k = 0; k < n; k++)
        {
            int p = k;
            for (int i = k + 1; i < n; i++) if (Math.Abs(m[i, k]) > Math.Abs(m[p, k])) p = i;
            for (int j = 0; j < n; j++) (m[k, j], m[p, j]) = (m[p, j], m[k, j]);
            for (int j = 0; j < nrhs; j++) (x[k, j], x[p, j]) = (x[p, j], x[k, j]);
            for (int i = k + 1; i < n; i++)
            {
                double f = m[i, k] / m[k, k];
                for (int j = k; j < n; j++) m[i, j] -= f * m[k, j];
                for (int j = 0; j < nrhs; j++) x[i, j] -= f * x[k, j];
            }
        }
        for (int c = 0; c < nrhs; c++)
            for (int k = n - 1; k >= 0; k--)
            {
                double s = x[k, c];
                for (int j = k + 1; j < n; j++) s -= m[k, j] * x[j, c];
                x[k, c] = s / m[k, k];
            }
        return x;
    }

    /// Minimum-norm solution of A·X = B for a full-row-rank A (m ≤ n), via the normal equations of the
    /// second kind: X = Aᵀ·(A·Aᵀ)⁻¹·B.
    internal static double[,] MinimumNorm(double[,] a, double[,] b) =>
        Multiply(Transposed(a), Solve(Multiply(a, Transposed(a)), b));

    /// Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric matrix by cyclic Jacobi
    /// rotations, swept until every off-diagonal element is negligible against the diagonal.
    internal static (double[] Values, double[,] Vectors) JacobiEigen(double[,] s)
    {
        int n = s.GetLength(0);
        var a = (double[,])s.Clone();
        var v = Identity(n);
        double total = Frobenius(s);
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
            if (Math.Sqrt(off) <= 1e-20 * total) break; // far below the rounding of the diagonal
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0) continue;
                    // Rotation that annihilates a[p, q] (Golub & Van Loan, Algorithm 8.5.1).
                    double tau = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = (tau >= 0 ? 1 : -1) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
                    double c = 1 / Math.Sqrt(1 + t * t), sn = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - sn * akq;
                        a[k, q] = sn * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - sn * aqk;
                        a[q, k] = sn * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - sn * vkq;
                        v[k, q] = sn * vkp + c * vkq;
                    }
                }
        }
        var order = Enumerable.Range(0, n).OrderBy(i => a[i, i]).ToArray();
        var values = order.Select(i => a[i, i]).ToArray();
        var vectors = new double[n, n];
        for (int k = 0; k < n; k++)
            for (int i = 0; i < n; i++) vectors[i, k] = v[i, order[k]];
        return (values, vectors);
    }
}
