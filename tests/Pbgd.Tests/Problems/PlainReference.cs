using Pbgd.Linalg;

namespace Pbgd.Tests.Problems;

/// Plain-loop references of the built-in objectives, written from their definitions (docs/algorithms.md §4, §5, §7)
/// and sharing no code with the library: their own sigmoid (e^{u/2}/(2 cosh(u/2)), not the library's exp branches), their own
/// log-sum-exp and softmax, sums in row order. Row-major throughout; W is m×c, v = vec(W) (then b for cross-entropy).
internal static class PlainReference
{
    /// ψ(u) = 1/(1 + e^{−u}) written as e^{u/2}/(2 cosh(u/2)), an identity without cancellation for either sign (|u| ≤ 700),
    /// so a wrong sign or scale in the library's ψ cannot cancel against the same mistake here.
    internal static double Sigmoid(double u) => Math.Exp(0.5 * u) / (2 * Math.Cosh(0.5 * u));

    /// log Σ_j e^{z_j}, shifted by the largest entry.
    internal static double LogSumExp(ReadOnlySpan<double> z)
    {
        double max = double.NegativeInfinity;
        foreach (double x in z) max = Math.Max(max, x);
        double s = 0;
        foreach (double x in z) s += Math.Exp(x - max);
        return max + Math.Log(s);
    }

    /// Row i of X·W (W m×c).
    internal static double[] Fit(Matrix x, int i, ReadOnlySpan<double> w, int c)
    {
        var z = new double[c];
        for (int q = 0; q < c; q++)
        {
            double s = 0;
            for (int j = 0; j < x.Columns; j++) s += x[i, j] * w[j * c + q];
            z[q] = s;
        }
        return z;
    }

    /// ‖y_i − Wᵀx_i‖².
    internal static double SquaredResidual(Matrix x, Matrix y, int i, ReadOnlySpan<double> w)
    {
        var z = Fit(x, i, w, y.Columns);
        double s = 0;
        for (int q = 0; q < y.Columns; q++) s += (y[i, q] - z[q]) * (y[i, q] - z[q]);
        return s;
    }

    internal static double SumOfSquares(ReadOnlySpan<double> a)
    {
        double s = 0;
        foreach (double x in a) s += x * x;
        return s;
    }

    /// Squared hyper-cleaning f(W) = ½‖Y_val − X_val W‖².
    internal static double SquaredUpper(Matrix xVal, Matrix yVal, ReadOnlySpan<double> w)
    {
        double s = 0;
        for (int i = 0; i < xVal.Rows; i++) s += SquaredResidual(xVal, yVal, i, w);
        return 0.5 * s;
    }

    /// Squared hyper-cleaning g(u, W) = ½ Σ_i ψ(u_i)‖y_i − Wᵀx_i‖² + ½λ‖W‖².
    internal static double SquaredLower(Matrix x, Matrix y, ReadOnlySpan<double> u, ReadOnlySpan<double> w, double ridge)
    {
        double s = 0;
        for (int i = 0; i < x.Rows; i++) s += Sigmoid(u[i]) * SquaredResidual(x, y, i, w);
        return 0.5 * s + 0.5 * ridge * SumOfSquares(w);
    }

    /// argmin_W of γ·g(u, W) + f(W) (γ = ∞ through <paramref name="lowerOnly"/>: argmin g): the normal equations
    /// (X_valᵀX_val + γ(XᵀΨX + λI))W = X_valᵀY_val + γXᵀΨY (or (XᵀΨX + λI)W = XᵀΨY) formed by loops and solved by
    /// Gaussian elimination, one column of W at a time.
    internal static double[] SquaredMinimizer(Matrix x, Matrix y, Matrix xVal, Matrix yVal, ReadOnlySpan<double> u, double ridge,
        double gamma, bool lowerOnly)
    {
        int m = x.Columns, c = y.Columns;
        var a = new double[m * m];
        var b = new double[m * c];
        double scale = lowerOnly ? 1 : gamma;
        for (int i = 0; i < x.Rows; i++)
        {
            double psi = scale * Sigmoid(u[i]);
            for (int j = 0; j < m; j++)
            {
                for (int k = 0; k < m; k++) a[j * m + k] += psi * x[i, j] * x[i, k];
                for (int q = 0; q < c; q++) b[j * c + q] += psi * x[i, j] * y[i, q];
            }
        }
        for (int j = 0; j < m; j++) a[j * m + j] += scale * ridge;
        if (!lowerOnly)
            for (int i = 0; i < xVal.Rows; i++)
                for (int j = 0; j < m; j++)
                {
                    for (int k = 0; k < m; k++) a[j * m + k] += xVal[i, j] * xVal[i, k];
                    for (int q = 0; q < c; q++) b[j * c + q] += xVal[i, j] * yVal[i, q];
                }
        var w = new double[m * c];
        for (int q = 0; q < c; q++)
        {
            var column = Support.DenseSolve.Solve(a, Enumerable.Range(0, m).Select(j => b[j * c + q]).ToArray(), m);
            for (int j = 0; j < m; j++) w[j * c + q] = column[j];
        }
        return w;
    }

    /// The cross-entropy of row i: ℓ_i = (Σ_q y_iq)·logsumexp(z_i) − y_iᵀz_i with z_i = Wᵀx_i + b (= −Σ_q y_iq log softmax_q(z_i),
    /// which is the textbook cross-entropy for one-hot targets and its extension to probability targets).
    internal static double CrossEntropy(Matrix x, Matrix y, int i, ReadOnlySpan<double> v)
    {
        int c = y.Columns, m = x.Columns;
        var z = Fit(x, i, v[..(m * c)], c);
        for (int q = 0; q < c; q++) z[q] += v[m * c + q];
        double lse = LogSumExp(z), loss = 0;
        // −Σ_q y_q log softmax_q, with log softmax_q = z_q − logsumexp(z): a different grouping from the library's.
        for (int q = 0; q < c; q++) loss -= y[i, q] * (z[q] - lse);
        return loss;
    }

    /// Cross-entropy hyper-cleaning f(W, b) = (1/N') Σ_j ℓ_j^val.
    internal static double CrossEntropyUpper(Matrix xVal, Matrix yVal, ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < xVal.Rows; i++) s += CrossEntropy(xVal, yVal, i, v);
        return s / xVal.Rows;
    }

    /// Cross-entropy hyper-cleaning g(u, W, b) = (1/N) Σ_i ψ(u_i)ℓ_i + r‖W‖² (the bias is not regularised).
    internal static double CrossEntropyLower(Matrix x, Matrix y, ReadOnlySpan<double> u, ReadOnlySpan<double> v, double r)
    {
        double s = 0;
        for (int i = 0; i < x.Rows; i++) s += Sigmoid(u[i]) * CrossEntropy(x, y, i, v);
        return s / x.Rows + r * SumOfSquares(v[..(x.Columns * y.Columns)]);
    }

    /// Representation learning's min over (W1, W2) of L_γ = f + γ(g − g*) on the generic branch (h ≥ m, rank X_trn W1 = N,
    /// so g* = 0 and W = W1W2 ranges over every m×n matrix): min_W ½‖Y_val − X_val W‖² + (γ/2)‖Y_trn − X_trn W‖², from the
    /// stacked normal equations (X_valᵀX_val + γX_trnᵀX_trn)W = X_valᵀY_val + γX_trnᵀY_trn by elimination (N + N' ≥ m).
    internal static double StackedMinimum(Matrix xTrain, Matrix yTrain, Matrix xVal, Matrix yVal, double gamma)
    {
        int m = xTrain.Columns, c = yTrain.Columns;
        var a = new double[m * m];
        var b = new double[m * c];
        void Add(Matrix x, Matrix y, double weight)
        {
            for (int i = 0; i < x.Rows; i++)
                for (int j = 0; j < m; j++)
                {
                    for (int k = 0; k < m; k++) a[j * m + k] += weight * x[i, j] * x[i, k];
                    for (int q = 0; q < c; q++) b[j * c + q] += weight * x[i, j] * y[i, q];
                }
        }
        Add(xVal, yVal, 1);
        Add(xTrain, yTrain, gamma);
        var w = new double[m * c];
        for (int q = 0; q < c; q++)
        {
            var column = Support.DenseSolve.Solve(a, Enumerable.Range(0, m).Select(j => b[j * c + q]).ToArray(), m);
            for (int j = 0; j < m; j++) w[j * c + q] = column[j];
        }
        double f = 0, g = 0;
        for (int i = 0; i < xVal.Rows; i++) f += SquaredResidual(xVal, yVal, i, w);
        for (int i = 0; i < xTrain.Rows; i++) g += SquaredResidual(xTrain, yTrain, i, w);
        return 0.5 * f + gamma * 0.5 * g;
    }

    /// ‖A‖₂² by dense power iteration on AᵀA run to a fixed point (plain loops, 5 000 steps at most).
    internal static double SpectralNormSquared(Matrix a)
    {
        var v = Enumerable.Range(0, a.Columns).Select(j => 1.0 / (1 + j)).ToArray();
        double lambda = 0;
        for (int t = 0; t < 5000; t++)
        {
            var av = new double[a.Rows];
            for (int i = 0; i < a.Rows; i++) for (int j = 0; j < a.Columns; j++) av[i] += a[i, j] * v[j];
            var next = new double[a.Columns];
            for (int i = 0; i < a.Rows; i++) for (int j = 0; j < a.Columns; j++) next[j] += a[i, j] * av[i];
            double norm = Math.Sqrt(SumOfSquares(next));
            for (int j = 0; j < next.Length; j++) next[j] /= norm;
            bool done = Math.Abs(norm - lambda) <= 1e-15 * norm;
            (v, lambda) = (next, norm);
            if (done) break;
        }
        return lambda;
    }

    internal static double Relative(double actual, double expected) => Math.Abs(actual - expected) / Math.Abs(expected);
}
