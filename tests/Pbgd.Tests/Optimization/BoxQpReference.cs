namespace Pbgd.Tests.Optimization;

/// An independent solver for min ½xᵀAx − bᵀx on l ≤ x ≤ u (A symmetric positive definite, small n): try every
/// assignment of each coordinate to {free, at lower, at upper} (3ⁿ), solve the free block of the KKT system
/// A_FF x_F = b_F − A_FB x_B by Gaussian elimination with partial pivoting, and keep the assignment whose x is
/// feasible and whose gradient r = Ax − b has the KKT signs (r_i ≥ 0 at a lower bound, ≤ 0 at an upper one).
/// For a strictly convex problem exactly one KKT point exists.
internal static class BoxQpReference
{
    public static double[] Solve(double[] a, double[] b, double[] lower, double[] upper)
    {
        int n = b.Length;
        double scale = b.Max(Math.Abs) + a.Max(Math.Abs);
        double tolerance = 1e-10 * scale;
        var state = new int[n];   // 0 free, 1 lower, 2 upper
        double[]? best = null;
        double bestViolation = double.PositiveInfinity;
        int total = (int)Math.Pow(3, n);
        for (int code = 0; code < total; code++)
        {
            for (int i = 0, c = code; i < n; i++, c /= 3) state[i] = c % 3;
            if (Enumerable.Range(0, n).Any(i => (state[i] == 1 && double.IsInfinity(lower[i])) || (state[i] == 2 && double.IsInfinity(upper[i]))))
                continue;
            var x = Candidate(a, b, lower, upper, state);
            double violation = Violation(a, b, lower, upper, state, x);
            if (violation < bestViolation) (best, bestViolation) = (x, violation);
        }
        if (best is null || bestViolation > tolerance)
            throw new InvalidOperationException($"No KKT point found (smallest violation {bestViolation:E2}).");
        return best;
    }

    private static double[] Candidate(double[] a, double[] b, double[] lower, double[] upper, int[] state)
    {
        int n = b.Length;
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = state[i] == 1 ? lower[i] : state[i] == 2 ? upper[i] : 0;
        var free = Enumerable.Range(0, n).Where(i => state[i] == 0).ToArray();
        int k = free.Length;
        var m = new double[k, k + 1];
        for (int r = 0; r < k; r++)
        {
            double rhs = b[free[r]];
            for (int j = 0; j < n; j++)
                if (state[j] != 0) rhs -= a[free[r] * n + j] * x[j];
            for (int c = 0; c < k; c++) m[r, c] = a[free[r] * n + free[c]];
            m[r, k] = rhs;
        }
        var solution = GaussianElimination(m, k);
        for (int r = 0; r < k; r++) x[free[r]] = solution[r];
        return x;
    }

    /// The largest violation of feasibility and of the KKT sign conditions.
    private static double Violation(double[] a, double[] b, double[] lower, double[] upper, int[] state, double[] x)
    {
        int n = b.Length;
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            double r = -b[i];
            for (int j = 0; j < n; j++) r += a[i * n + j] * x[j];
            worst = Math.Max(worst, Math.Max(lower[i] - x[i], x[i] - upper[i]));
            if (state[i] == 1) worst = Math.Max(worst, -r);
            if (state[i] == 2) worst = Math.Max(worst, r);
        }
        return worst;
    }

    /// Solves the k×k system held in m's first k columns, right-hand side in column k.
    public static double[] GaussianElimination(double[,] m, int k)
    {
        for (int col = 0; col < k; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < k; r++)
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col])) pivot = r;
            for (int c = 0; c <= k; c++) (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
            for (int r = col + 1; r < k; r++)
            {
                double factor = m[r, col] / m[col, col];
                for (int c = col; c <= k; c++) m[r, c] -= factor * m[col, c];
            }
        }
        var x = new double[k];
        for (int r = k - 1; r >= 0; r--)
        {
            double sum = m[r, k];
            for (int c = r + 1; c < k; c++) sum -= m[r, c] * x[c];
            x[r] = sum / m[r, r];
        }
        return x;
    }
}
