using System.Diagnostics;
using Pbgd.Distributed;
using Pbgd.Kernels;
using Pbgd.Linalg;
using Pbgd.Native;

namespace Pbgd.LeastSquares;

/// <summary>
/// The conjugate-gradient preconditioner M ≈ the systems at the weights of an earlier solve (docs/algorithms.md §4 (c)):
/// XᵀΨX formed in single precision, features with a negligible diagonal dropped (they keep W = 0), the diagonal shifted
/// by <see cref="Shift"/>·(largest diagonal), factored and inverted explicitly, so applying M⁻¹ is one skinny product.
/// It only has to be close: every solve is accepted on a true residual. System 1's factor is rebuilt from the weights
/// and ridge alone (<see cref="Rebuild"/>), so a restored state reproduces it to the bit.
/// </summary>
internal sealed class PcgPreconditioner
{
    private const int Block = 1024;
    // Keeps the factor of a numerically singular Gram matrix (MNIST: rank 644 of 785) positive definite and keeps CG out
    // of its near-null directions, whose contribution to the residual is negligible; raised ×100 (to 1e−3 at most) while
    // the Cholesky factorisation still fails.
    private const double Shift = 1e-7;

    private readonly TrainRows _xTrain;
    private readonly int _n, _m, _c;
    private readonly PcgProducts _products;
    private readonly PcgStatistics _statistics;
    private readonly AlignedBuffer<float> _blockSingle, _gramSingle;
    private readonly AlignedBuffer<double> _gram, _factorLower, _factorPenalized, _reduced, _reducedProduct;
    private readonly int[] _activeLower, _activePenalized;
    private readonly RowShard _shard;
    private double[] _packed = [];
    private double _gramNorm;

    internal PcgPreconditioner(LeastSquaresData data, PcgProducts products, PcgStatistics statistics)
    {
        (_xTrain, _products, _statistics) = (data.Rows, products, statistics);
        (_n, _m, _c) = (data.TrainCount, data.FeatureCount, data.OutputCount);
        _shard = data.Shard;
        int mm = _m * _m, cm = _c * _m;
        _gram = new AlignedBuffer<double>(mm);
        _blockSingle = new AlignedBuffer<float>(Block * _m);
        _gramSingle = new AlignedBuffer<float>(mm);
        _factorLower = new AlignedBuffer<double>(mm);
        _factorPenalized = new AlignedBuffer<double>(mm);
        _reduced = new AlignedBuffer<double>(cm);
        _reducedProduct = new AlignedBuffer<double>(cm);
        _activeLower = new int[_m];
        _activePenalized = new int[_m];
        RefreshWeights = new double[_n];
    }

    /// <summary>ψ of the last refresh: system 1's factor is a function of these and <see cref="FactorRidge"/>.</summary>
    internal double[] RefreshWeights { get; }

    /// <summary>Features kept in system 1's (system 2's) factor: the rank a solution reports.</summary>
    internal int KeptLower { get; private set; }

    /// <inheritdoc cref="KeptLower"/>
    internal int KeptPenalized { get; private set; }

    /// <summary>‖A₁‖_F as the backward error takes it: ‖XᵀΨX‖_F (at the refresh) + λ√m; 0 before the first refresh.</summary>
    internal double NormLower { get; private set; }

    /// <summary>‖A₂‖_F as the backward error takes it: ‖X_valᵀX_val‖_F + γ(‖XᵀΨX‖_F + λ√m).</summary>
    internal double NormPenalized { get; private set; }

    /// <summary>λ of system 1's factor; NaN before the first refresh.</summary>
    internal double FactorRidge { get; private set; } = double.NaN;

    /// <summary>γ of system 2's factor; NaN while there is none.</summary>
    internal double FactorGamma { get; private set; } = double.NaN;

    /// <summary>Solves since the last refresh.</summary>
    internal int SolvesSinceRefresh { get; set; } = int.MaxValue;

    /// <summary>Whether the last solve was slow enough to ask for a refresh.</summary>
    internal bool LastSlow { get; set; }

    /// <summary>Refresh policy: every <paramref name="refreshEvery"/> solves, after a slow one, and when λ changes.</summary>
    internal bool NeedsRefresh(double ridge, int refreshEvery) => SolvesSinceRefresh >= refreshEvery || LastSlow || ridge != FactorRidge;

    /// <summary>System 2's factor is redone when γ differs by more than 10 % from the γ it was built with.</summary>
    internal bool NeedsPenalizedFactor(double gamma) => !(Math.Abs(gamma - FactorGamma) <= 0.1 * FactorGamma);

    /// <summary>‖A₂‖_F at γ with the current Gram norm (as <see cref="FactorPenalized"/> sets it).</summary>
    internal double PenalizedNorm(double gamma, double ridge) => _products.ValidationGramNorm + gamma * (_gramNorm + ridge * Math.Sqrt(_m));

    /// <summary>The Gram matrix at the current solve's weights and system 1's factor.</summary>
    internal void Refresh(double ridge)
    {
        long started = Stopwatch.GetTimestamp();
        _statistics.Refreshes++;
        _products.Weights.CopyTo(RefreshWeights, 0);
        Rebuild(ridge);
        SolvesSinceRefresh = 0;
        LastSlow = false;
        _statistics.RefreshSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>System 1's factor from <see cref="RefreshWeights"/> and the ridge alone; drops system 2's.</summary>
    internal void Rebuild(double ridge)
    {
        GramSingle(RefreshWeights);
        _gramNorm = PcgProducts.FrobeniusNorm(_gram.Span);
        FactorRidge = ridge;
        KeptLower = Factor(0, 1, ridge, _factorLower.Span, _activeLower);
        NormLower = _gramNorm + ridge * Math.Sqrt(_m);
        FactorGamma = double.NaN;
    }

    /// <summary>System 2's factor at γ from the current Gram matrix.</summary>
    internal void FactorPenalized(double gamma, double ridge)
    {
        KeptPenalized = Factor(1, gamma, ridge, _factorPenalized.Span, _activePenalized);
        NormPenalized = PenalizedNorm(gamma, ridge);
        FactorGamma = gamma;
    }

    /// <summary>Back to "never refreshed" (a restored state without factors).</summary>
    internal void Forget() => (FactorRidge, FactorGamma, NormLower) = (double.NaN, double.NaN, 0);

    /// <summary>Z = M⁻¹R per system on its kept features (zero elsewhere); systems whose flag in <paramref name="done"/>
    /// is not 0 get Z = 0.</summary>
    internal void Apply(ReadOnlySpan<double> r, Span<double> z, ReadOnlySpan<double> done)
    {
        long phaseStart = Stopwatch.GetTimestamp();
        z.Clear();
        for (int s = 0; s < 2; s++)
        {
            if (done[s] != 0) continue;
            int kept = s == 0 ? KeptLower : KeptPenalized;
            var active = s == 0 ? _activeLower : _activePenalized;
            var inverse = (s == 0 ? _factorLower : _factorPenalized).Span[..(kept * kept)];
            var red = _reduced.Span[..(kept * _c)];
            var product = _reducedProduct.Span[..(kept * _c)];
            // Rᵀ on the kept features is the kernel's right-hand side (c×kept); M⁻¹R comes back kept×c.
            for (int j = 0; j < _c; j++)
                for (int p = 0; p < kept; p++) red[j * kept + p] = r[(s * _c + j) * _m + active[p]];
            if (kept > 0)
                FusedRowPass.Run(inverse, kept, kept, red, _c, product, null, Span<double>.Empty, 0, Span<double>.Empty, Span<double>.Empty);
            for (int j = 0; j < _c; j++)
                for (int p = 0; p < kept; p++) z[(s * _c + j) * _m + active[p]] = product[p * _c + j];
        }
        _statistics.PhaseSeconds[2] += Stopwatch.GetElapsedTime(phaseStart).TotalSeconds;
    }

    // Inverse of the Cholesky factor of validationWeight·X_valᵀX_val + scale·(XᵀΨX + ridge·I) on the features whose
    // diagonal is non-zero (as the normal equations choose them), shifted slightly; returns the number kept.
    private int Factor(double validationWeight, double scale, double ridge, Span<double> factor, int[] active)
    {
        var valGram = _products.ValidationGram;
        var gram = _gram.Span;
        int kept = 0;
        double maxDiagonal = 0;
        for (int i = 0; i < _m; i++) maxDiagonal = Math.Max(maxDiagonal, Entry(valGram, gram, i, i));
        for (int i = 0; i < _m; i++)
            if (Entry(valGram, gram, i, i) > 1e-14 * maxDiagonal) active[kept++] = i;
        for (double shift = Shift; ; shift *= 100)
        {
            var a = factor[..(kept * kept)];
            for (int p = 0; p < kept; p++)
            {
                for (int q = p; q < kept; q++) a[p * kept + q] = Entry(valGram, gram, active[p], active[q]);
                a[p * kept + p] += shift * maxDiagonal;
            }
            // The row-major upper triangle just written is the column-major lower one: no transposed copy.
            if (!Lapack.TryPotrf(MatrixLayout.ColumnMajor, Triangle.Lower, kept, a, kept, out int minor))
            {
                if (shift < 1e-3) continue;
                throw new MatrixNotPositiveDefiniteException("dpotrf", minor);
            }
            // Applied as an explicit inverse: one skinny product per CG step instead of two triangular solves.
            if (kept > 0) Lapack.Potri(MatrixLayout.ColumnMajor, Triangle.Lower, kept, a, kept);
            for (int p = 0; p < kept; p++)
                for (int q = p + 1; q < kept; q++) a[q * kept + p] = a[p * kept + q];
            return kept;
        }

        double Entry(ReadOnlySpan<double> v, ReadOnlySpan<double> g, int i, int j) =>
            validationWeight * v[i * _m + j] + scale * (g[i * _m + j] + (i == j ? ridge : 0));
    }

    // XᵀΨX in single precision (ssyrk): its rounding, ~1e−7 relative, is of the order of the shift, and CG solves the
    // double-precision system regardless.
    // Each fixed part of the shard forms its float Gram on its own (blocks of 1 024 rows from the part's first row); the
    // parts' upper triangles, widened to double, are combined by the shard's tree: the same for any number of processes.
    private void GramSingle(double[] weights)
    {
        int width = _m * (_m + 1) / 2;
        if (_packed.Length < width) _packed = new double[width];
        _shard.SumParts(new SinglePartGram(this, weights), width, _packed.AsSpan(0, width));
        var g = _gram.Span;
        int k = 0;
        for (int i = 0; i < _m; i++)
            for (int j = i; j < _m; j++) g[i * _m + j] = g[j * _m + i] = _packed[k++];
    }

    private readonly struct SinglePartGram(PcgPreconditioner owner, double[] weights) : IPartialSource
    {
        public void Partial(int localPart, scoped Span<double> destination)
        {
            var o = owner;
            int first = o._shard.LocalPartStart(localPart), end = o._shard.LocalPartStart(localPart + 1);
            var data = o._xTrain;
            var block = o._blockSingle.Span;
            var gramSingle = o._gramSingle.Span;
            int m = o._m;
            if (end == first) gramSingle.Clear();
            for (int start = first; start < end; start += Block)
            {
                int rows = Math.Min(Block, end - start);
                for (int i = 0; i < rows; i++)
                    data.RowToSingle(start + i, Math.Sqrt(weights[start + i]), block.Slice(i * m, m));
                Blas.Syrk(Triangle.Upper, Transpose.Trans, m, rows, 1f, block[..(rows * m)], m, start == first ? 0f : 1f, gramSingle, m);
            }
            int k = 0;
            for (int i = 0; i < m; i++)
                for (int j = i; j < m; j++) destination[k++] = gramSingle[i * m + j];
        }
    }
}
