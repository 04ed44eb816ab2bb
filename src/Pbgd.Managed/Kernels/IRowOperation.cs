namespace Pbgd.Kernels;

/// <summary>
/// The per-row step of a fused pass (<see cref="FusedRowPass"/>): reads row i's products z_i = x_iᵀB and writes
/// the coefficients whose product with X the pass accumulates. Called concurrently for disjoint rows; anything
/// summed over rows must go to a slot of its own per <c>part</c> and be combined in part order.
/// </summary>
internal interface IRowOperation
{
    /// <summary>Row <paramref name="row"/>, which belongs to partial <paramref name="part"/>.</summary>
    void Apply(int part, int row, ReadOnlySpan<double> z, Span<double> coef);
}
