using Pbgd.Linalg;

namespace Pbgd.Tests.Support;

/// The cross-entropy hyper-cleaning model in plain loops (docs/algorithms.md §4), sharing no code with the library's
/// fused kernel passes: the independent reference for residuals and reduced-function values in the inexact-solve tests.
///     ℓ_i = logsumexp(Wᵀx_i + b) − y_iᵀ(Wᵀx_i + b),   g = (1/N) Σ ψ(u_i) ℓ_i + r‖W‖²,   f = (1/N') Σ ℓ_j^val
/// v = [vec(W) row-major m×c; b (c)]. log-sum-exp after subtracting the row maximum.
internal sealed class NaiveCrossEntropy(Matrix xTrain, Matrix yTrain, Matrix xVal, Matrix yVal, double r)
{
    private readonly int _m = xTrain.Columns, _c = yTrain.Columns;

    internal double Lower(double[] u, double[] v, double[]? gradV = null, double[]? gradU = null)
    {
        var weights = u.Select(t => 1 / (1 + Math.Exp(-t))).ToArray();
        double value = Loss(xTrain, yTrain, v, weights, 1.0 / xTrain.Rows, gradV, gradU, u);
        double wn = 0;
        for (int k = 0; k < _m * _c; k++) wn += v[k] * v[k];
        if (gradV is not null) for (int k = 0; k < _m * _c; k++) gradV[k] += 2 * r * v[k];
        return value + r * wn;
    }

    internal double Upper(double[] v, double[]? gradV = null) => Loss(xVal, yVal, v, null, 1.0 / xVal.Rows, gradV, null, null);

    /// ∇_v (f + γg) at (u, v).
    internal double[] PenalizedGradient(double[] u, double[] v, double gamma)
    {
        var gf = new double[v.Length];
        var gg = new double[v.Length];
        Upper(v, gf);
        Lower(u, v, gg);
        return gf.Zip(gg, (a, b) => a + gamma * b).ToArray();
    }

    /// ∇_v g at (u, v).
    internal double[] LowerGradient(double[] u, double[] v)
    {
        var gg = new double[v.Length];
        Lower(u, v, gg);
        return gg;
    }

    // scale·Σ_i w_i ℓ_i (w_i = 1 without weights) with its v-gradient added into gradV and, for the weighted sum,
    // ∂/∂u_i = ψ'(u_i) ℓ_i·scale written into gradU.
    private double Loss(Matrix x, Matrix y, double[] v, double[]? weights, double scale, double[]? gradV, double[]? gradU, double[]? u)
    {
        if (gradV is not null) Array.Clear(gradV);
        double total = 0;
        var z = new double[_c];
        for (int i = 0; i < x.Rows; i++)
        {
            double max = double.NegativeInfinity, yz = 0, ys = 0;
            for (int q = 0; q < _c; q++)
            {
                double s = v[_m * _c + q];
                for (int j = 0; j < _m; j++) s += x[i, j] * v[j * _c + q];
                z[q] = s;
                max = Math.Max(max, s);
                yz += y[i, q] * s;
                ys += y[i, q];
            }
            double sum = 0;
            for (int q = 0; q < _c; q++) sum += Math.Exp(z[q] - max);
            double loss = ys * (max + Math.Log(sum)) - yz;
            double w = weights?[i] ?? 1;
            total += w * loss;
            if (gradU is not null) gradU[i] = weights![i] * (1 - weights[i]) * loss * scale;
            if (gradV is null) continue;
            for (int q = 0; q < _c; q++)
            {
                double e = w * scale * (ys * Math.Exp(z[q] - max) / sum - y[i, q]);
                for (int j = 0; j < _m; j++) gradV[j * _c + q] += e * x[i, j];
                gradV[_m * _c + q] += e;
            }
        }
        return total * scale;
    }
}
