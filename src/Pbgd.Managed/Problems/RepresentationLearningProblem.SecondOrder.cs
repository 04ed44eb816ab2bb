using Pbgd.Native;

namespace Pbgd.Problems;

// g = ½‖Y − X W1 W2‖² with A = X W1, R = Y − A W2: ∇_{W2} g = −AᵀR, ∇_{W1} g = −Xᵀ R W2ᵀ. Along dW2 (T = A dW2) and
// dW1 (dA = X dW1):
//   ∇²_vv g·dW2 = AᵀT          ∇²_uv g·dW2 = Xᵀ(T W2ᵀ − R dW2ᵀ)          ∇²_vu g·dW1 = Aᵀ(dA W2) − dAᵀR
public sealed partial class RepresentationLearningProblem : ILowerLevelSecondOrder
{
    // N×n and N×h scratch of the second-order products, allocated on their first use.
    private double[]? _hvpOutputs, _hvpHidden;

    /// <inheritdoc />
    public void LowerHessianVV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        SecondOrderShapes.Check(_m * _h, _h * _out, u, v, w, false, destination, false);
        var t = HvpOutputs();
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _h, _m, 1.0, _xTrain.Span, _m, u, _h, 0.0, _aTrain, _h);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _out, _h, 1.0, _aTrain, _h, w, _out, 0.0, t, _out);
        Blas.Gemm(Transpose.Trans, Transpose.NoTrans, _h, _out, _n, 1.0, _aTrain, _h, t, _out, 0.0, destination, _out);
    }

    /// <inheritdoc />
    public void LowerMixedTransposeVU(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        SecondOrderShapes.Check(_m * _h, _h * _out, u, v, w, false, destination, true);
        var t = HvpOutputs();
        var m = _t.AsSpan(0, _n * _h);
        TrainResiduals(u, v);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _out, _h, 1.0, _aTrain, _h, w, _out, 0.0, t, _out);
        // M = T W2ᵀ − R dW2ᵀ, then Xᵀ M.
        Blas.Gemm(Transpose.NoTrans, Transpose.Trans, _n, _h, _out, 1.0, t, _out, v, _out, 0.0, m, _h);
        Blas.Gemm(Transpose.NoTrans, Transpose.Trans, _n, _h, _out, -1.0, _res, _out, w, _out, 1.0, m, _h);
        Blas.Gemm(Transpose.Trans, Transpose.NoTrans, _m, _h, _n, 1.0, _xTrain.Span, _m, m, _h, 0.0, destination, _h);
    }

    /// <inheritdoc />
    public void LowerMixedTransposeUV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> z, Span<double> destination)
    {
        SecondOrderShapes.Check(_m * _h, _h * _out, u, v, z, true, destination, false);
        var t = HvpOutputs();
        var dA = _hvpHidden ??= new double[_n * _h];
        TrainResiduals(u, v);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _h, _m, 1.0, _xTrain.Span, _m, z, _h, 0.0, dA, _h);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _out, _h, 1.0, dA, _h, v, _out, 0.0, t, _out);
        Blas.Gemm(Transpose.Trans, Transpose.NoTrans, _h, _out, _n, 1.0, _aTrain, _h, t, _out, 0.0, destination, _out);
        Blas.Gemm(Transpose.Trans, Transpose.NoTrans, _h, _out, _n, -1.0, dA, _h, _res, _out, 1.0, destination, _out);
    }

    private double[] HvpOutputs() => _hvpOutputs ??= new double[_n * _out];

    // A = X_trn W1 into _aTrain and R = Y_trn − A W2 into _res.
    private void TrainResiduals(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _h, _m, 1.0, _xTrain.Span, _m, u, _h, 0.0, _aTrain, _h);
        _yTrain.Span.CopyTo(_res);
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, _n, _out, _h, -1.0, _aTrain, _h, v, _out, 1.0, _res, _out);
    }
}
