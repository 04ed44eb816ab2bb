using Pbgd.Native;

namespace Pbgd.Problems;

// With logits z_i = Wᵀx_i + b, P = softmax rows, s_i = Σ_j y_ij (1 for one-hot), e_i = s_i p_i − y_i:
// ∇_v g = [Xᵀ C + 2rW; Σ_i c_i] with c_i = (ψ_i/N) e_i, and ∂g/∂u_i = ψ'_i ℓ_i/N. Along dv = (dW, db), dz_i = dWᵀx_i + db
// and de_i = s_i (diag(p_i) − p_i p_iᵀ) dz_i, so
//   ∇²_vv g·dv = [Xᵀ D + 2r dW; Σ_i d_i], d_i = (ψ_i/N) de_i      ∇²_uv g·dv = ((ψ'_i/N) e_iᵀdz_i)_i
//   ∇²_vu g·dz = [Xᵀ E'; Σ_i e'_i], e'_i = (ψ'_i dz_i/N) e_i
public sealed partial class HyperCleaningCrossEntropyProblem : ILowerLevelSecondOrder
{
    // Directional logits dz (N×c); allocated on the first second-order call, so first-order users never pay for it.
    private double[]? _directionLogits;

    /// <inheritdoc />
    public void LowerHessianVV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        SecondOrderShapes.Check(_n, LowerDimension, u, v, w, false, destination, false);
        Probabilities(v);
        var dz = DirectionLogits(w);
        var coef = _coef.AsSpan(0, _n * _c);
        var y = _yTrain.Span;
        for (int i = 0; i < _n; i++)
        {
            var p = _logitsTrain.AsSpan(i * _c, _c);
            double pdz = 0, s = 0;
            for (int j = 0; j < _c; j++) { pdz += p[j] * dz[i * _c + j]; s += y[i * _c + j]; }
            double scale = s * Sigmoid.Value(u[i]) / _n;
            for (int j = 0; j < _c; j++) coef[i * _c + j] = scale * p[j] * (dz[i * _c + j] - pdz);
        }
        Backward(_xTrain, coef, w, _r, destination);
    }

    /// <inheritdoc />
    public void LowerMixedTransposeVU(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        SecondOrderShapes.Check(_n, LowerDimension, u, v, w, false, destination, true);
        Probabilities(v);
        var dz = DirectionLogits(w);
        var y = _yTrain.Span;
        for (int i = 0; i < _n; i++)
        {
            double s = 0;
            for (int j = 0; j < _c; j++) s += y[i * _c + j];
            double dot = 0;
            for (int j = 0; j < _c; j++) dot += (s * _logitsTrain[i * _c + j] - y[i * _c + j]) * dz[i * _c + j];
            destination[i] = Sigmoid.Derivative(u[i]) / _n * dot;
        }
    }

    /// <inheritdoc />
    public void LowerMixedTransposeUV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> z, Span<double> destination)
    {
        SecondOrderShapes.Check(_n, LowerDimension, u, v, z, true, destination, false);
        Probabilities(v);
        var coef = _coef.AsSpan(0, _n * _c);
        var y = _yTrain.Span;
        for (int i = 0; i < _n; i++)
        {
            double s = 0;
            for (int j = 0; j < _c; j++) s += y[i * _c + j];
            double scale = Sigmoid.Derivative(u[i]) * z[i] / _n;
            for (int j = 0; j < _c; j++) coef[i * _c + j] = scale * (s * _logitsTrain[i * _c + j] - y[i * _c + j]);
        }
        Backward(_xTrain, coef, v, 0, destination);
    }

    // Softmax probabilities of the training logits XW + b, into _logitsTrain.
    private void Probabilities(ReadOnlySpan<double> v)
    {
        Blas.Gemm(Native.Transpose.NoTrans, Native.Transpose.NoTrans, _n, _c, _m, 1.0, _xTrain.Span, _m, v[..(_m * _c)], _c, 0.0, _logitsTrain, _c);
        var b = v[(_m * _c)..];
        for (int i = 0; i < _n; i++)
        {
            var z = _logitsTrain.AsSpan(i * _c, _c);
            double max = double.NegativeInfinity;
            for (int j = 0; j < _c; j++) { z[j] += b[j]; max = Math.Max(max, z[j]); }
            double sum = 0;
            for (int j = 0; j < _c; j++) { z[j] = Math.Exp(z[j] - max); sum += z[j]; }
            for (int j = 0; j < _c; j++) z[j] /= sum;
        }
    }

    // dz = X·dW + db for the direction w = [vec(dW), db].
    private ReadOnlySpan<double> DirectionLogits(ReadOnlySpan<double> w)
    {
        var dz = _directionLogits ??= new double[_n * _c];
        Blas.Gemm(Native.Transpose.NoTrans, Native.Transpose.NoTrans, _n, _c, _m, 1.0, _xTrain.Span, _m, w[..(_m * _c)], _c, 0.0, dz, _c);
        var db = w[(_m * _c)..];
        for (int i = 0; i < _n; i++)
            for (int j = 0; j < _c; j++) dz[i * _c + j] += db[j];
        return dz;
    }
}
