using Pbgd.Distributed;
using Pbgd.Kernels;
using Pbgd.LeastSquares;
using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.Problems;

// The fused passes over the data behind f, g and their gradients: R = Y − X·W for one or two models, per-row squared
// residuals, the ψ-weighted sums over the shard and Xᵀ·coef.
public sealed partial class HyperCleaningSquaredProblem
{
    private double LowerValue(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double[] rowSquares, Span<double> gradU)
    {
        if (!gradU.IsEmpty)
            for (int i = 0; i < _n; i++) gradU[i] = 0.5 * Sigmoid.Derivative(u[i]) * rowSquares[i];
        // Σ ψ_i‖r_i‖² per fixed part of the rows, the parts combined by the shard's tree: the same for any process count.
        var terms = new WeightedSquares(_psi, rowSquares);
        Span<double> sum = stackalloc double[1];
        _shard.Sum(ref terms, sum);
        double value = 0.5 * sum[0];
        if (_ridge > 0)
        {
            double w = Blas.Nrm2(v);
            value += 0.5 * _ridge * w * w;
        }
        return value;
    }

    private void FillPsi(ReadOnlySpan<double> u)
    {
        for (int i = 0; i < _n; i++) _psi[i] = Sigmoid.Value(u[i]);
    }

    private readonly ref struct WeightedSquares(ReadOnlySpan<double> psi, ReadOnlySpan<double> squares) : IRangeSums
    {
        private readonly ReadOnlySpan<double> _psi = psi, _squares = squares;

        public void Add(int start, int end, scoped Span<double> sums)
        {
            double s = 0;
            for (int i = start; i < end; i++) s += _psi[i] * _squares[i];
            sums[0] = s;
        }
    }

    // One fused pass: R = Y − X·[W | W2], per-row ‖r_i‖² into _rowSquares (_rowSquares2) and, when gradients are
    // wanted, −weight_i·r_i into _pass.Coef and Xᵀ·coef into _pass.GT. Over the training rows the pass runs on the shard
    // (its backward sum is the global one).
    private void ResidualPass(Matrix? x, Matrix y, ReadOnlySpan<double> w, ReadOnlySpan<double> w2, double[]? weights, bool gradients,
        RowShard? shard = null)
    {
        // x null: the training rows, on the shard, in their storage.
        int models = w2.IsEmpty ? 1 : 2, k = models * _c, rows = x?.Rows ?? _n;
        TransposeInto(w, _pass.WT.AsSpan(0, _c * _m));
        if (models == 2) TransposeInto(w2, _pass.WT.AsSpan(_c * _m, _c * _m));
        _rows.Set(y.Data, weights, models, _rowSquares, _rowSquares2);
        try
        {
            if (x is null)
                _train.Pass(shard!, _pass.WT.AsSpan(0, k * _m), k, _pass.Z, _rows,
                    gradients ? _pass.Coef.AsSpan(0, rows * k) : Span<double>.Empty, gradients ? k : 0,
                    gradients ? _pass.GT.AsSpan(0, k * _m) : Span<double>.Empty, _pass.Partials);
            else
                FusedRowPass.Run(x.Span, rows, _m, _pass.WT.AsSpan(0, k * _m), k, _pass.Z, _rows,
                    gradients ? _pass.Coef.AsSpan(0, rows * k) : Span<double>.Empty, gradients ? k : 0,
                    gradients ? _pass.GT.AsSpan(0, k * _m) : Span<double>.Empty, _pass.Partials);
        }
        finally
        {
            _rows.Clear();
        }
    }

    // ∇_W of model `index` of the last pass: Xᵀ·coef (from _pass.GT, transposed back to m×c) + ridge·W.
    private void Gradient(int index, double ridge, Span<double> grad, ReadOnlySpan<double> w)
    {
        var gT = _pass.GT.AsSpan(index * _c * _m, _c * _m);
        for (int q = 0; q < _c; q++)
            for (int j = 0; j < _m; j++) grad[j * _c + q] = gT[q * _m + j];
        if (ridge > 0) Blas.Axpy(ridge, w, grad);
    }

    // W (m×c row-major) into Wᵀ (c×m), the layout of the kernels' right-hand side.
    private void TransposeInto(ReadOnlySpan<double> w, Span<double> wT)
    {
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) wT[q * _m + j] = w[j * _c + q];
    }

    // The per-row step: r = y − z, ‖r‖² and the coefficients −weight·r (weight 1 without weights).
    private sealed class ResidualRows(int c) : IRowOperation
    {
        private double[] _y = [], _squares = [], _squares2 = [];
        private double[]? _weights;
        private int _models;

        internal void Set(double[] y, double[]? weights, int models, double[] squares, double[] squares2) =>
            (_y, _weights, _models, _squares, _squares2) = (y, weights, models, squares, squares2);

        internal void Clear() => (_y, _weights, _squares, _squares2) = ([], null, [], []);

        public void Apply(int part, int row, ReadOnlySpan<double> z, Span<double> coef)
        {
            var y = _y.AsSpan(row * c, c);
            double weight = _weights is null ? 1.0 : _weights[row];
            for (int model = 0; model < _models; model++)
            {
                double rr = 0;
                for (int j = 0; j < c; j++)
                {
                    double r = y[j] - z[model * c + j];
                    rr += r * r;
                    if (!coef.IsEmpty) coef[model * c + j] = -weight * r;
                }
                (model == 0 ? _squares : _squares2)[row] = rr;
            }
        }
    }
}
