using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.Problems;

/// <summary>
/// Data hyper-cleaning with a multinomial logistic model (the protocol of V-PBGD and benchopt, ALGORITHMS.md §4):
/// <code>
/// ℓ_i(W, b) = logsumexp(Wᵀx_i + b) − y_iᵀ(Wᵀx_i + b)
/// g(u, W, b) = (1/N) Σ_i ψ(u_i) ℓ_i + r‖W‖²          f(W, b) = (1/N') Σ_j ℓ_j^val         u ∈ [−R, R]^N
/// </code>
/// v = [vec(W) (m×c row-major), b (c)]. There is no closed-form W*: use the iterative oracle; the lower-level gap
/// it reports is an estimate.
/// </summary>
public sealed partial class HyperCleaningCrossEntropyProblem : IBilevelProblem, Pbgd.Checkpoints.IFingerprinted
{
    private readonly Matrix _xTrain, _yTrain, _xVal, _yVal;
    private readonly int _n, _nVal, _m, _c;
    private readonly double _r, _radius;
    private readonly double[] _logitsTrain, _logitsVal, _lossTrain, _coef;
    private readonly double _trainNormSquared, _valNormSquared;

    /// <summary>Creates the problem.</summary>
    /// <param name="xTrain">Training features X_trn, N×m (no bias column: the model has its own bias).</param>
    /// <param name="yTrain">One-hot (or probability) training targets, N×c.</param>
    /// <param name="xValidation">Validation features, N'×m.</param>
    /// <param name="yValidation">Validation targets, N'×c.</param>
    /// <param name="regularization">r in r‖W‖² (benchopt: 0.2; V-PBGD: 0).</param>
    /// <param name="radius">Box radius R of U.</param>
    public HyperCleaningCrossEntropyProblem(Matrix xTrain, Matrix yTrain, Matrix xValidation, Matrix yValidation,
        double regularization = 0, double radius = 10)
    {
        HyperCleaningData.Validate(xTrain, yTrain, xValidation, yValidation);
        if (!(regularization >= 0) || double.IsInfinity(regularization))
            throw new ArgumentOutOfRangeException(nameof(regularization), regularization, "r must be finite and ≥ 0.");
        if (!(radius > 0) || double.IsInfinity(radius))
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "The radius must be finite and > 0.");
        (_xTrain, _yTrain, _xVal, _yVal) = (xTrain, yTrain, xValidation, yValidation);
        (_n, _nVal, _m, _c) = (xTrain.Rows, xValidation.Rows, xTrain.Columns, yTrain.Columns);
        (_r, _radius) = (regularization, radius);
        _logitsTrain = new double[_n * _c];
        _logitsVal = new double[_nVal * _c];
        _lossTrain = new double[_n];
        _coef = new double[Math.Max(_n, _nVal) * _c];
        _trainNormSquared = SpectralNorm.Squared(xTrain);
        _valNormSquared = SpectralNorm.Squared(xValidation);
    }

    /// <summary>N.</summary>
    public int TrainCount => _n;

    /// <summary>m.</summary>
    public int FeatureCount => _m;

    /// <summary>c.</summary>
    public int ClassCount => _c;

    private string? _fingerprint;

    /// <summary>SHA-256 of the data matrices (computed once).</summary>
    public string DataFingerprint => _fingerprint ??= Pbgd.Checkpoints.Fingerprint.Of(
        Pbgd.Checkpoints.Fingerprint.Of(_xTrain, _yTrain, _xVal, _yVal) + FormattableString.Invariant($"|cross-entropy|{_r:R}|{_radius:R}"));

    /// <inheritdoc />
    public int UpperDimension => _n;

    /// <inheritdoc />
    public int LowerDimension => _m * _c + _c;

    /// <inheritdoc />
    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        CheckShapes(u, v, gradU, gradV);
        if (!gradU.IsEmpty) gradU.Clear();
        double total = Losses(_xVal, _yVal, v, _logitsVal, null, gradV.IsEmpty ? Span<double>.Empty : _coef.AsSpan(0, _nVal * _c),
            ReadOnlySpan<double>.Empty, 1.0 / _nVal);
        if (!gradV.IsEmpty) Backward(_xVal, _coef.AsSpan(0, _nVal * _c), v, 0, gradV);
        return total / _nVal;
    }

    /// <inheritdoc />
    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        CheckShapes(u, v, gradU, gradV);
        Losses(_xTrain, _yTrain, v, _logitsTrain, _lossTrain, gradV.IsEmpty ? Span<double>.Empty : _coef.AsSpan(0, _n * _c),
            u, 1.0 / _n);
        double sum = 0;
        for (int i = 0; i < _n; i++)
        {
            sum += Sigmoid.Value(u[i]) * _lossTrain[i];
            if (!gradU.IsEmpty) gradU[i] = Sigmoid.Derivative(u[i]) * _lossTrain[i] / _n;
        }
        var w = v[..(_m * _c)];
        double wn = Blas.Nrm2(w);
        if (!gradV.IsEmpty) Backward(_xTrain, _coef.AsSpan(0, _n * _c), v, _r, gradV);
        return sum / _n + _r * wn * wn;
    }

    /// <inheritdoc />
    public void ProjectUpper(Span<double> u)
    {
        for (int i = 0; i < u.Length; i++) u[i] = Math.Clamp(u[i], -_radius, _radius);
    }

    /// <summary>
    /// The softmax cross-entropy Hessian in the logits is ≤ ½I, so ℓ_f ≤ ½(‖X_val‖₂² + 1)/N' and
    /// ℓ_g (in W, b) ≤ ½(‖X_trn‖₂² + 1)/N + 2r (the +1 for the bias column, ψ ≤ 1). In u we take the same
    /// heuristic as the squared model, (|ψ''|max/… + ¼)·max ℓ_i/N at the given v.
    /// </summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="v">Lower variable.</param>
    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        CheckShapes(u, v, Span<double>.Empty, Span<double>.Empty);
        Losses(_xTrain, _yTrain, v, _logitsTrain, _lossTrain, Span<double>.Empty, ReadOnlySpan<double>.Empty, 0);
        double maxLoss = 0;
        for (int i = 0; i < _n; i++) maxLoss = Math.Max(maxLoss, _lossTrain[i]);
        double lowerInV = 0.5 * (_trainNormSquared + 1) / _n + 2 * _r;
        double lowerInU = (Sigmoid.MaxSecondDerivative + 0.25) * Math.Max(maxLoss, 1e-12) / _n;
        return new Smoothness(0.5 * (_valNormSquared + 1) / _nVal, lowerInV + lowerInU, lowerInV, IsLocal: false,
            UpperInU: 0, LowerInU: lowerInU);
    }

    /// <summary>Class scores XW + b for new data (for test accuracy).</summary>
    /// <param name="x">Features, rows×m.</param>
    /// <param name="v">The model [vec(W), b].</param>
    /// <param name="scores">Output, rows×c.</param>
    public void Scores(Matrix x, ReadOnlySpan<double> v, Span<double> scores)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Columns != _m) throw new ArgumentException($"x has {x.Columns} features; the model has {_m}.", nameof(x));
        if (v.Length != LowerDimension) throw new ArgumentException($"v has {v.Length} elements; expected {LowerDimension}.", nameof(v));
        if (scores.Length != x.Rows * _c) throw new ArgumentException($"scores needs {x.Rows * _c} elements.", nameof(scores));
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, x.Rows, _c, _m, 1.0, x.Span, _m, v[..(_m * _c)], _c, 0.0, scores, _c);
        var b = v[(_m * _c)..];
        for (int i = 0; i < x.Rows; i++)
            for (int j = 0; j < _c; j++) scores[i * _c + j] += b[j];
    }

    // Per-row losses (logsumexp − yᵀz) and, when coef is non-empty, the coefficients of the backward pass
    // coef_i = weight_i·(softmax(z_i) − y_i), weight_i = scale·ψ(u_i) (scale alone when u is empty).
    // Returns Σ_i ℓ_i (unweighted).
    private double Losses(Matrix x, Matrix y, ReadOnlySpan<double> v, double[] logits, double[]? losses,
        Span<double> coef, ReadOnlySpan<double> u, double scale)
    {
        int rows = x.Rows;
        Blas.Gemm(Transpose.NoTrans, Transpose.NoTrans, rows, _c, _m, 1.0, x.Span, _m, v[..(_m * _c)], _c, 0.0, logits, _c);
        var b = v[(_m * _c)..];
        var ys = y.Span;
        double total = 0;
        for (int i = 0; i < rows; i++)
        {
            var z = logits.AsSpan(i * _c, _c);
            double max = double.NegativeInfinity;
            for (int j = 0; j < _c; j++) { z[j] += b[j]; max = Math.Max(max, z[j]); }
            double sumExp = 0, yz = 0, ySum = 0;
            for (int j = 0; j < _c; j++) { sumExp += Math.Exp(z[j] - max); yz += ys[i * _c + j] * z[j]; ySum += ys[i * _c + j]; }
            double lse = max + Math.Log(sumExp);
            // For probability targets summing to s, ℓ = s·logsumexp − yᵀz (s = 1 for one-hot).
            double loss = ySum * lse - yz;
            total += loss;
            if (losses is not null) losses[i] = loss;
            if (!coef.IsEmpty)
            {
                double weight = u.IsEmpty ? scale : scale * Sigmoid.Value(u[i]);
                for (int j = 0; j < _c; j++)
                    coef[i * _c + j] = weight * (ySum * Math.Exp(z[j] - lse) - ys[i * _c + j]);
            }
        }
        return total;
    }

    // ∇_W = Xᵀcoef + 2rW, ∇_b = Σ_i coef_i.
    private void Backward(Matrix x, ReadOnlySpan<double> coef, ReadOnlySpan<double> v, double r, Span<double> grad)
    {
        int rows = x.Rows;
        var gw = grad[..(_m * _c)];
        Blas.Gemm(Transpose.Trans, Transpose.NoTrans, _m, _c, rows, 1.0, x.Span, _m, coef, _c, 0.0, gw, _c);
        if (r > 0) Blas.Axpy(2 * r, v[..(_m * _c)], gw);
        var gb = grad[(_m * _c)..];
        gb.Clear();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < _c; j++) gb[j] += coef[i * _c + j];
    }

    private void CheckShapes(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> gradU, ReadOnlySpan<double> gradV)
    {
        if (u.Length != _n) throw new ArgumentException($"u has {u.Length} elements; expected N = {_n}.", nameof(u));
        if (v.Length != LowerDimension) throw new ArgumentException($"v has {v.Length} elements; expected m·c + c = {LowerDimension}.", nameof(v));
        if (!gradU.IsEmpty && gradU.Length != _n) throw new ArgumentException($"gradU has {gradU.Length} elements; expected {_n}.", nameof(gradU));
        if (!gradV.IsEmpty && gradV.Length != LowerDimension)
            throw new ArgumentException($"gradV has {gradV.Length} elements; expected {LowerDimension}.", nameof(gradV));
    }
}
