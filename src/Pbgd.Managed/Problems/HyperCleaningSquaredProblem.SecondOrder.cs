using Pbgd.Native;

namespace Pbgd.Problems;

// g = ½Σψ(u_i)‖r_i‖² + ½λ‖W‖² with R = Y − XW, so ∇_W g = −XᵀΨR + λW and ∂g/∂u_i = ½ψ'(u_i)‖r_i‖². Differentiating
// once more along dW (T = X·dW) or dz:
//   ∇²_vv g·dW = XᵀΨT + λ·dW          ∇²_uv g·dW = (−ψ'(u_i)⟨r_i, t_i⟩)_i          ∇²_vu g·dz = −Xᵀ diag(ψ'(u)∘dz) R
// Each costs one or two skinny products with X_trn, in the buffers Lower already owns.
public sealed partial class HyperCleaningSquaredProblem : ILowerLevelSecondOrder
{
    /// <inheritdoc />
    public void LowerHessianVV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        SecondOrderShapes.Check(_n, _m * _c, u, v, w, false, destination, false);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _c, _m, 1.0, _xTrain.Span, _m, w, _c, 0.0, _weightedRes, _c);
        for (int i = 0; i < _n; i++)
        {
            double psi = Sigmoid.Value(u[i]);
            for (int j = 0; j < _c; j++) _weightedRes[i * _c + j] *= psi;
        }
        Blas.Gemm(Transpose.Trans, Transpose.NoTrans, _m, _c, _n, 1.0, _xTrain.Span, _m, _weightedRes, _c, 0.0, destination, _c);
        if (_ridge > 0) Blas.Axpy(_ridge, w, destination);
    }

    /// <inheritdoc />
    public void LowerMixedTransposeVU(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        SecondOrderShapes.Check(_n, _m * _c, u, v, w, false, destination, true);
        TrainResiduals(v);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _c, _m, 1.0, _xTrain.Span, _m, w, _c, 0.0, _weightedRes, _c);
        for (int i = 0; i < _n; i++)
        {
            double dot = 0;
            for (int j = 0; j < _c; j++) dot += _resTrain[i * _c + j] * _weightedRes[i * _c + j];
            destination[i] = -Sigmoid.Derivative(u[i]) * dot;
        }
    }

    /// <inheritdoc />
    public void LowerMixedTransposeUV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> z, Span<double> destination)
    {
        SecondOrderShapes.Check(_n, _m * _c, u, v, z, true, destination, false);
        TrainResiduals(v);
        for (int i = 0; i < _n; i++)
        {
            double s = Sigmoid.Derivative(u[i]) * z[i];
            for (int j = 0; j < _c; j++) _weightedRes[i * _c + j] = s * _resTrain[i * _c + j];
        }
        Blas.Gemm(Transpose.Trans, Transpose.NoTrans, _m, _c, _n, -1.0, _xTrain.Span, _m, _weightedRes, _c, 0.0, destination, _c);
    }

    // R = Y_trn − X_trn W into _resTrain.
    private void TrainResiduals(ReadOnlySpan<double> v)
    {
        _yTrain.Span.CopyTo(_resTrain);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _c, _m, -1.0, _xTrain.Span, _m, v, _c, 1.0, _resTrain, _c);
    }
}
