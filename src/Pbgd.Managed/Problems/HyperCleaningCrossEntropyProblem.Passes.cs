using Pbgd.Distributed;
using Pbgd.Kernels;
using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.Problems;

// The fused passes over the data behind f, g and their gradients: logits for one or two models, per-row losses, the
// backward coefficients and Xᵀ·coef, and the gradients assembled from them.
public sealed partial class HyperCleaningCrossEntropyProblem
{
    // One fused pass over x with one model (v) or two side by side (v, v2): per-row losses into loss/loss2 and,
    // when gradients are wanted, the coefficients weight_i·(softmax(z_i) − y_i) (weight_i = weights[i], or scale
    // when weights is null) into _pass.Coef and their product Xᵀ·coef into _pass.GT.
    private void Pass(Matrix? x, ReadOnlySpan<float> xSingle, Matrix y, ReadOnlySpan<double> v, ReadOnlySpan<double> v2, double[]? weights, double scale,
        double[] loss, double[]? loss2, bool gradients, RowShard? shard = null)
    {
        // xSingle: the float values the pass reads when the precision is not Double (empty otherwise; x may then be null).
        int models = v2.IsEmpty ? 1 : 2, k = models * _c, rows = y.Rows;
        Transpose(v[..(_m * _c)], _pass.WT.AsSpan(0, _c * _m));
        if (models == 2) Transpose(v2[..(_m * _c)], _pass.WT.AsSpan(_c * _m, _c * _m));
        _rows.Set(y.Data, v[(_m * _c)..], models == 2 ? v2[(_m * _c)..] : ReadOnlySpan<double>.Empty, weights, scale, loss, loss2);
        try
        {
            var coef = gradients ? _pass.Coef.AsSpan(0, rows * k) : Span<double>.Empty;
            var gT = gradients ? _pass.GT.AsSpan(0, k * _m) : Span<double>.Empty;
            if (shard is not null && xSingle.IsEmpty)
                FusedRowPass.Run(shard, x!.Span, _m, _pass.WT.AsSpan(0, k * _m), k, _pass.Z, _rows, coef, gradients ? k : 0, gT, _pass.Partials);
            else if (shard is not null)
                FusedRowPass.Run(shard, xSingle, _m, _pass.WT.AsSpan(0, k * _m), k, _pass.Z, _rows, coef, gradients ? k : 0, gT, _pass.Partials);
            else if (xSingle.IsEmpty)
                FusedRowPass.Run(x!.Span, rows, _m, _pass.WT.AsSpan(0, k * _m), k, _pass.Z, _rows, coef, gradients ? k : 0, gT, _pass.Partials);
            else
                FusedRowPass.Run(xSingle, rows, _m, _pass.WT.AsSpan(0, k * _m), k, _pass.Z, _rows, coef, gradients ? k : 0, gT, _pass.Partials);
        }
        finally
        {
            _rows.Clear();
        }
    }

    // ∇_W = Xᵀcoef + 2rW and ∇_b = Σ_i coef_i of model `index` of the last pass (`models` side by side).
    private void Gradient(ReadOnlySpan<double> v, int index, int models, int rows, double r, Span<double> grad, RowShard? shard = null)
    {
        AssembleGradient(_pass.GT.AsSpan(index * _c * _m, _c * _m), _pass.Coef, rows, models * _c, index * _c, v, r, grad, shard);
    }

    // ∇_W = Xᵀcoef + 2rW, ∇_b = Σ_i coef_i.
    private void Backward(Matrix x, ReadOnlySpan<double> coef, ReadOnlySpan<double> v, double r, Span<double> grad)
    {
        int rows = x.Rows;
        var gT = _pass.GT.AsSpan(0, _c * _m);
        SkinnyTransposeMultiply.Run(x.Span, rows, _m, coef[..(rows * _c)], _c, gT, _pass.Partials);
        AssembleGradient(gT, coef, rows, _c, 0, v, r, grad);
    }

    // grad = [vec(W-gradient) + 2rW; Σ_i coef_i] from the kernels' transposed Xᵀcoef (c×m) and the coefficient columns
    // offset…offset+c of rows of the given stride.
    private void AssembleGradient(ReadOnlySpan<double> gT, ReadOnlySpan<double> coef, int rows, int stride, int offset,
        ReadOnlySpan<double> v, double r, Span<double> grad, RowShard? shard = null)
    {
        var gw = grad[..(_m * _c)];
        for (int q = 0; q < _c; q++)
            for (int j = 0; j < _m; j++) gw[j * _c + q] = gT[q * _m + j];
        if (r > 0) Blas.Axpy(2 * r, v[..(_m * _c)], gw);
        var gb = grad[(_m * _c)..];
        gb.Clear();
        if (shard is not null)
        {
            // Over the training rows: per part, combined by the shard's tree.
            var terms = new CoefficientColumns(coef, stride, offset);
            shard.Sum(ref terms, gb);
            return;
        }
        for (int i = 0; i < rows; i++)
            for (int q = 0; q < _c; q++) gb[q] += coef[i * stride + offset + q];
    }

    // W (m×c row-major) into Wᵀ (c×m), the layout of the kernels' right-hand side.
    private void Transpose(ReadOnlySpan<double> w, Span<double> wT)
    {
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) wT[q * _m + j] = w[j * _c + q];
    }

    // The per-row step of the fused pass: add the bias, ℓ_i = s·logsumexp(z_i) − y_iᵀz_i (s = Σ_j y_ij, 1 for
    // one-hot), and the backward coefficients. Rows are disjoint across threads, so it only writes row slots.
    private sealed class SoftmaxRows(int c) : IRowOperation
    {
        private readonly double[] _bias = new double[2 * c];
        private double[] _y = [], _loss = [], _loss2 = [];
        private double[]? _weights;
        private double _scale;
        private int _models;

        internal void Set(double[] y, ReadOnlySpan<double> bias, ReadOnlySpan<double> bias2, double[]? weights, double scale, double[] loss, double[]? loss2)
        {
            bias.CopyTo(_bias);
            bias2.CopyTo(_bias.AsSpan(c));
            (_y, _weights, _scale, _loss, _loss2, _models) = (y, weights, scale, loss, loss2 ?? [], bias2.IsEmpty ? 1 : 2);
        }

        internal void Clear() => (_y, _weights, _loss, _loss2) = ([], null, [], []);

        public void Apply(int part, int row, ReadOnlySpan<double> zRow, Span<double> coef)
        {
            var y = _y.AsSpan(row * c, c);
            double weight = _weights is null ? _scale : _weights[row];
            for (int model = 0; model < _models; model++)
            {
                // z is the pass's own scratch buffer (nobody reads it afterwards): reused for the exponentials.
                var z = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
                    ref System.Runtime.InteropServices.MemoryMarshal.GetReference(zRow.Slice(model * c, c)), c);
                var b = _bias.AsSpan(model * c, c);
                double max = double.NegativeInfinity, yz = 0, ySum = 0;
                for (int j = 0; j < c; j++)
                {
                    z[j] += b[j];
                    max = Math.Max(max, z[j]);
                    yz += y[j] * z[j];
                    ySum += y[j];
                }
                // exp(z_j − max) once per class, kept in z: it serves the sum and the softmax both.
                double sumExp = 0;
                for (int j = 0; j < c; j++) sumExp += z[j] = Math.Exp(z[j] - max);
                (model == 0 ? _loss : _loss2)[row] = ySum * (max + Math.Log(sumExp)) - yz;
                if (!coef.IsEmpty)
                {
                    double share = ySum / sumExp;
                    for (int j = 0; j < c; j++) coef[model * c + j] = weight * (share * z[j] - y[j]);
                }
            }
        }
    }
}
