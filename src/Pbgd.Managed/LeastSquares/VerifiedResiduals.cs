using System.Runtime.InteropServices;

namespace Pbgd.LeastSquares;

/// <summary>
/// A memo of the pass that verified a pair of solutions at the same weights ψ — system 1's W₁ and system 2's W₂ — holding
/// what the lower objective g needs at both: ‖y_i − Wᵀx_i‖² per row and XᵀΨ(XW − Y) (the data part of ∇_W g).
/// <para>
/// Why it exists: PBGD-B evaluates g(u, v) and g(u, ω) exactly at the two solutions its exact solves just produced, and
/// the pass that accepted them already computed those numbers; recalling them saves one pass over X_trn per iteration.
/// </para>
/// <para>
/// It is keyed by the values the numbers were computed from — ψ, W₁ and W₂, compared bit for bit — and the numbers are a
/// function of those values alone (the ridge is not among them: the caller adds λW), summed as the problem's own pass
/// sums them. So a recall never depends on the order of calls: it succeeds exactly when the caller asks about the values
/// recorded, and then gives what a fresh pass would give.
/// </para>
/// </summary>
public sealed class VerifiedResiduals
{
    private readonly int _n, _m, _c;
    private readonly double[] _weights, _solutionsT, _productsT, _lowerRowSquares, _penalizedRowSquares;
    private bool _holds;

    internal VerifiedResiduals(int n, int m, int c)
    {
        (_n, _m, _c) = (n, m, c);
        _weights = new double[n];
        _solutionsT = new double[2 * c * m];
        _productsT = new double[2 * c * m];
        _lowerRowSquares = new double[n];
        _penalizedRowSquares = new double[n];
    }

    /// <summary>How often <see cref="TryRecall"/> answered (diagnostics).</summary>
    public int Recalls { get; private set; }

    /// <summary>Records a verifying pass (copies: the solver's buffers move on).</summary>
    /// <param name="weights">ψ of the pass.</param>
    /// <param name="solutionsT">W₁ᵀ then W₂ᵀ (c×m each).</param>
    /// <param name="productsT">(XᵀΨ(Y − XW₁))ᵀ then (XᵀΨ(Y − XW₂))ᵀ.</param>
    /// <param name="lowerRowSquares">‖y_i − W₁ᵀx_i‖².</param>
    /// <param name="penalizedRowSquares">‖y_i − W₂ᵀx_i‖².</param>
    internal void Record(ReadOnlySpan<double> weights, ReadOnlySpan<double> solutionsT, ReadOnlySpan<double> productsT,
        ReadOnlySpan<double> lowerRowSquares, ReadOnlySpan<double> penalizedRowSquares)
    {
        weights.CopyTo(_weights);
        solutionsT.CopyTo(_solutionsT);
        productsT.CopyTo(_productsT);
        lowerRowSquares[.._n].CopyTo(_lowerRowSquares);
        penalizedRowSquares[.._n].CopyTo(_penalizedRowSquares);
        _holds = true;
    }

    /// <summary>Forgets the record.</summary>
    internal void Clear() => _holds = false;

    /// <summary>
    /// The recorded numbers, when <paramref name="weights"/>, <paramref name="penalized"/> (W₂) and <paramref name="lower"/>
    /// (W₁) are bit for bit the values recorded; otherwise false and nothing written.
    /// </summary>
    /// <param name="weights">ψ.</param>
    /// <param name="penalized">W₂, m×c row-major.</param>
    /// <param name="lower">W₁, m×c row-major.</param>
    /// <param name="penalizedGradient">XᵀΨ(XW₂ − Y), m×c (empty: not wanted).</param>
    /// <param name="lowerGradient">XᵀΨ(XW₁ − Y), m×c (empty: not wanted).</param>
    /// <param name="penalizedRowSquares">‖y_i − W₂ᵀx_i‖², first N entries.</param>
    /// <param name="lowerRowSquares">‖y_i − W₁ᵀx_i‖², first N entries.</param>
    public bool TryRecall(ReadOnlySpan<double> weights, ReadOnlySpan<double> penalized, ReadOnlySpan<double> lower,
        Span<double> penalizedGradient, Span<double> lowerGradient, Span<double> penalizedRowSquares, Span<double> lowerRowSquares)
    {
        if (!_holds || !Bits(weights).SequenceEqual(Bits(_weights))) return false;
        int cm = _c * _m;
        if (penalized.Length != cm || lower.Length != cm) return false;
        for (int j = 0; j < _m; j++)
            for (int q = 0; q < _c; q++)
                if (!SameBits(_solutionsT[(_c + q) * _m + j], penalized[j * _c + q]) || !SameBits(_solutionsT[q * _m + j], lower[j * _c + q]))
                    return false;
        // The caller's own pass forms Xᵀ(−ψr); negating the recorded Xᵀ(ψr) is exact.
        if (!penalizedGradient.IsEmpty)
            for (int q = 0; q < _c; q++)
                for (int j = 0; j < _m; j++) penalizedGradient[j * _c + q] = -_productsT[cm + q * _m + j];
        if (!lowerGradient.IsEmpty)
            for (int q = 0; q < _c; q++)
                for (int j = 0; j < _m; j++) lowerGradient[j * _c + q] = -_productsT[q * _m + j];
        _penalizedRowSquares.CopyTo(penalizedRowSquares);
        _lowerRowSquares.CopyTo(lowerRowSquares);
        Recalls++;
        return true;
    }

    private static ReadOnlySpan<long> Bits(ReadOnlySpan<double> values) => MemoryMarshal.Cast<double, long>(values);

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
}

/// <summary>A solver that can hand out <see cref="VerifiedResiduals"/> of its last verifying pass.</summary>
public interface IVerifiedResidualSource
{
    /// <summary>The memo, or null while the solver has made no such pass.</summary>
    VerifiedResiduals? VerifiedResiduals { get; }
}
