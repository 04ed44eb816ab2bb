using System.Diagnostics;
using Pbgd.Distributed;
using Pbgd.Kernels;
using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.LeastSquares;

/// <summary>
/// The conjugate-gradient solver's products with the data, both systems side by side (system 1 in the first c columns,
/// system 2 in the next c; W stored transposed, c×m per system):
/// <code>
/// A·P:       A₁P = XᵀΨX·P + λP          A₂P = X_valᵀX_val·P + γ(XᵀΨX·P + λP)
/// residual:  R₁ = XᵀΨ(Y − XW) − λW      R₂ = X_valᵀ(Y_val − X_val W) + γ(XᵀΨ(Y − XW) − λW)
/// </code>
/// Each is one fused pass over X_trn (<see cref="FusedRowPass"/>); X_valᵀX_val and X_valᵀY_val are formed once. A·P
/// may read a float32 copy of X_trn; the residuals, on which solutions are accepted, always read the double data and are
/// never formed as b − A·W, which cancels.
/// </summary>
internal sealed class PcgProducts
{
    private const int Block = 1024;

    private readonly Matrix _yTrain;
    private readonly TrainRows _xTrain;
    // The A·P passes' float copy of X_trn (SinglePrecisionProducts): CG's directions only have to be good, not exact,
    // because every solve is accepted on a true residual recomputed from the double data.
    private readonly SingleRows? _xTrainSingle;
    private readonly int _n, _m, _c;
    private readonly AlignedBuffer<double> _valGram, _valRhsT, _product, _valGramProduct, _partialsBuffer;
    private readonly double[] _b1T, _psi, _zRows, _coef, _gT;
    private readonly PcgRows _rows;
    private readonly PcgStatistics _statistics;
    // The training rows this process holds: the A·P and residual passes sum over every process's rows through it.
    private readonly RowShard _shard;

    internal PcgProducts(LeastSquaresData data, bool singleProducts, PcgStatistics statistics)
    {
        _statistics = statistics;
        // The float values the A·P passes read: the storage itself in the float-only mode, else a float copy when asked for.
        _xTrainSingle = data.Rows.Single ?? (singleProducts ? SingleRows.From(data.XTrain, "xTrain") : null);
        (_xTrain, _yTrain) = (data.Rows, data.YTrain);
        (_n, _m, _c) = (data.TrainCount, data.FeatureCount, data.OutputCount);
        _shard = data.Shard;
        int cm = _c * _m;
        _valGram = new AlignedBuffer<double>(_m * _m);
        _valRhsT = new AlignedBuffer<double>(cm);
        _product = new AlignedBuffer<double>(cm);
        _valGramProduct = new AlignedBuffer<double>(cm);
        _partialsBuffer = new AlignedBuffer<double>(Math.Max(FusedRowPass.PartialsLength(Math.Max(_n, data.ValidationCount), _m, 3 * _c),
            FusedRowPass.PartialsLength(_shard, _m, 3 * _c)));
        _b1T = new double[cm];
        _psi = new double[_n];
        _zRows = new double[_n * 2 * _c];
        _coef = new double[_n * 3 * _c];
        _gT = new double[3 * cm];
        LowerRowSquares = new double[_n];
        PenalizedRowSquares = new double[_n];
        _rows = new PcgRows(_c);

        // X_valᵀX_val and (X_valᵀY_val)ᵀ do not depend on the weights: once.
        FormValidationGram(data.XValidation);
        FusedRowPass.Run(data.XValidation.Span, data.ValidationCount, _m, ReadOnlySpan<double>.Empty, 0, Span<double>.Empty, null,
            data.YValidation.Data, _c, _valRhsT.Span, _partialsBuffer.Span);
        ValidationGramNorm = FrobeniusNorm(_valGram.Span);
    }

    /// <summary>ψ of the current solve (set by <see cref="SetWeights"/>).</summary>
    internal double[] Weights => _psi;

    /// <summary>X_valᵀX_val, m×m (both triangles).</summary>
    internal ReadOnlySpan<double> ValidationGram => _valGram.Span;

    /// <summary>‖X_valᵀX_val‖_F.</summary>
    internal double ValidationGramNorm { get; }

    /// <summary>‖y_i − W₁ᵀx_i‖² per row, from the last residual pass.</summary>
    internal double[] LowerRowSquares { get; }

    /// <summary>‖y_i − W₂ᵀx_i‖² per row, from the last residual pass when it covered both systems.</summary>
    internal double[] PenalizedRowSquares { get; }

    /// <summary>(XᵀΨ(Y − XW))ᵀ of both systems from the last residual pass (c×m each): valid for the systems it covered.</summary>
    internal ReadOnlySpan<double> ResidualProducts => _gT.AsSpan(0, 2 * _c * _m);

    /// <summary>How many systems the last residual pass covered (1 or 2).</summary>
    internal int LastResidualModels { get; private set; }

    internal void SetWeights(ReadOnlySpan<double> weights) => weights.CopyTo(_psi);

    /// <summary>Q = A·P for the first <paramref name="models"/> systems: one fused pass gives XᵀΨX·P.</summary>
    internal void Apply(ReadOnlySpan<double> p, Span<double> q, double gamma, double ridge, int models)
    {
        long phaseStart = Stopwatch.GetTimestamp();
        _statistics.Passes++;
        int cm = _c * _m;
        _rows.Set(_yTrain.Data, _psi, PcgRows.Mode.Weighted, models);
        try
        {
            if (_xTrainSingle is null)
                _xTrain.Pass(_shard, p[..(models * cm)], models * _c, _zRows, _rows, _coef.AsSpan(0, _n * models * _c),
                    models * _c, _gT.AsSpan(0, models * cm), _partialsBuffer.Span);
            else
                FusedRowPass.Run(_shard, _xTrainSingle.Span, _m, p[..(models * cm)], models * _c, _zRows, _rows, _coef.AsSpan(0, _n * models * _c),
                    models * _c, _gT.AsSpan(0, models * cm), _partialsBuffer.Span);
        }
        finally
        {
            _rows.Clear();
        }
        for (int k = 0; k < cm; k++) q[k] = _gT[k] + ridge * p[k];
        if (models == 2)
        {
            ValidationGramTimes(p.Slice(cm, cm), _product.Span);
            var product = _product.Span;
            for (int k = 0; k < cm; k++) q[cm + k] = product[k] + gamma * (_gT[cm + k] + ridge * p[cm + k]);
        }
        _statistics.PhaseSeconds[1] += Stopwatch.GetElapsedTime(phaseStart).TotalSeconds;
    }

    /// <summary>
    /// R = b − A·W from the data for the first <paramref name="models"/> systems, in one pass over X_trn that also yields
    /// b₁ = XᵀΨY when <paramref name="withRhs"/> (once per solve; kept for the later checks). Returns ‖b₁‖_F and, for
    /// two systems, ‖b₂‖_F = ‖X_valᵀY_val + γb₁‖_F (NaN otherwise).
    /// </summary>
    internal (double Lower, double Penalized) Residual(ReadOnlySpan<double> x, Span<double> r, double gamma, double ridge, int models, bool withRhs)
    {
        long phaseStart = Stopwatch.GetTimestamp();
        _statistics.Passes++;
        int cm = _c * _m, outputs = models + (withRhs ? 1 : 0);
        _rows.Set(_yTrain.Data, _psi, PcgRows.Mode.Residual, models, withRhs, LowerRowSquares, PenalizedRowSquares);
        try
        {
            _xTrain.Pass(_shard, x[..(models * cm)], models * _c, _zRows, _rows, _coef.AsSpan(0, _n * outputs * _c),
                outputs * _c, _gT.AsSpan(0, outputs * cm), _partialsBuffer.Span);
        }
        finally
        {
            _rows.Clear();
        }
        LastResidualModels = models;
        if (withRhs) _gT.AsSpan(models * cm, cm).CopyTo(_b1T);
        var b1 = _b1T.AsSpan();
        for (int k = 0; k < cm; k++) r[k] = _gT[k] - ridge * x[k];
        double lowerNorm = FrobeniusNorm(b1), penalizedNorm = double.NaN;
        if (models == 2)
        {
            ValidationGramTimes(x.Slice(cm, cm), _product.Span);
            var product = _product.Span;
            var valRhs = _valRhsT.Span;
            double bb = 0;
            for (int k = 0; k < cm; k++)
            {
                r[cm + k] = valRhs[k] - product[k] + gamma * (_gT[cm + k] - ridge * x[cm + k]);
                double b = valRhs[k] + gamma * b1[k];
                bb += b * b;
            }
            penalizedNorm = Math.Sqrt(bb);
        }
        _statistics.PhaseSeconds[0] += Stopwatch.GetElapsedTime(phaseStart).TotalSeconds;
        return (lowerNorm, penalizedNorm);
    }

    internal static double FrobeniusNorm(ReadOnlySpan<double> a)
    {
        double s = 0;
        foreach (double v in a) s += v * v;
        return Math.Sqrt(s);
    }

    // (X_valᵀX_val·W)ᵀ for W given transposed (c×m): X_valᵀX_val is symmetric, so its rows times Wᵀ's rows give
    // X_valᵀX_val·W (m×c) through the skinny kernel (cheaper than dgemm for this shape), then transposed.
    private void ValidationGramTimes(ReadOnlySpan<double> wT, Span<double> result)
    {
        var product = _valGramProduct.Span;
        FusedRowPass.Run(_valGram.Span, _m, _m, wT, _c, product, null, Span<double>.Empty, 0, Span<double>.Empty, Span<double>.Empty);
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++) result[q * _m + j] = product[j * _c + q];
    }

    // X_valᵀX_val (both triangles) over blocks of rows copied into an aligned buffer.
    private void FormValidationGram(Matrix x)
    {
        var gram = _valGram.Span;
        var block = new AlignedBuffer<double>(Block * _m).Span;
        var data = x.Span;
        for (int start = 0; start < x.Rows; start += Block)
        {
            int rows = Math.Min(Block, x.Rows - start);
            data.Slice(start * _m, rows * _m).CopyTo(block);
            Blas.Syrk(Triangle.Upper, Transpose.Trans, _m, rows, 1.0, block[..(rows * _m)], _m, start == 0 ? 0.0 : 1.0, gram, _m);
        }
        if (x.Rows == 0) gram.Clear();
        for (int i = 0; i < _m; i++)
            for (int j = 0; j < i; j++) gram[i * _m + j] = gram[j * _m + i];
    }
}
