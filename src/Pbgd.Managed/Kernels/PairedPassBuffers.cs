namespace Pbgd.Kernels;

/// <summary>
/// The workspace of a <see cref="FusedRowPass"/> with up to two models side by side (a problem's g at v and at ω in
/// one pass): both models' Wᵀ (2c×m), their Gᵀ = Rᵀ·X, per-row logits and coefficients for up to <c>rows</c> rows,
/// and the 64-byte-aligned per-part partial sums (their loads and stores then never split a cache line, which was
/// measurably faster for the 20-column backward half).
/// </summary>
internal sealed class PairedPassBuffers(int rows, int m, int c, int parts = 0)
{
    /// <summary>Wᵀ of the models, 2c×m.</summary>
    internal double[] WT { get; } = new double[2 * c * m];

    /// <summary>Gᵀ of the models, 2c×m.</summary>
    internal double[] GT { get; } = new double[2 * c * m];

    /// <summary>Per-row outputs X·B of the forward half, rows×2c.</summary>
    internal double[] Z { get; } = new double[rows * 2 * c];

    /// <summary>Per-row coefficients R of the backward half, rows×2c.</summary>
    internal double[] Coef { get; } = new double[rows * 2 * c];

    // parts: the most parts a pass over these buffers splits its rows into (a shard's local parts can outnumber the kernels'
    // own split of its rows).
    private readonly AlignedBuffer<double> _partials = new(Math.Max(FusedRowPass.PartialsLength(rows, m, 2 * c), parts * 2 * c * m));

    /// <summary>The kernels' per-part partial sums.</summary>
    internal Span<double> Partials => _partials.Span;
}
