namespace Pbgd.Problems;

/// <summary>
/// Second-order products of the lower-level objective g, without forming a Hessian: what second-order methods
/// such as RXGF (docs/algorithms.md §7, whose constraint gradient is ∇‖∇_v g‖² = 2[∇²_{uv}g·∇_v g; ∇²_{vv}g·∇_v g])
/// need. Notation: ∇²_{vu}g = ∂(∇_v g)/∂u is p×n and ∇²_{uv}g = ∂(∇_u g)/∂v = (∇²_{vu}g)ᵀ is n×p (n = dim u,
/// p = dim v), so each product is a directional derivative of one gradient block, which is how the tests check
/// them against finite differences.
/// </summary>
/// <remarks>Implementations share the problem's work buffers: the same single-thread rule as
/// <see cref="IBilevelProblem"/> applies. Every product allocates nothing managed.</remarks>
public interface ILowerLevelSecondOrder
{
    /// <summary>∇²_{vv}g(u, v)·w: the change of ∇_v g along (0, w).</summary>
    /// <param name="u">Upper variable (length n).</param>
    /// <param name="v">Lower variable (length p).</param>
    /// <param name="w">Direction in v (length p).</param>
    /// <param name="destination">Output, length p; must not overlap the inputs.</param>
    void LowerHessianVV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination);

    /// <summary>(∇²_{vu}g)ᵀw = ∇²_{uv}g·w: the change of ∇_u g along (0, w).</summary>
    /// <param name="u">Upper variable (length n).</param>
    /// <param name="v">Lower variable (length p).</param>
    /// <param name="w">Direction in v (length p).</param>
    /// <param name="destination">Output, length n; must not overlap the inputs.</param>
    void LowerMixedTransposeVU(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination);

    /// <summary>(∇²_{uv}g)ᵀz = ∇²_{vu}g·z: the change of ∇_v g along (z, 0).</summary>
    /// <param name="u">Upper variable (length n).</param>
    /// <param name="v">Lower variable (length p).</param>
    /// <param name="z">Direction in u (length n).</param>
    /// <param name="destination">Output, length p; must not overlap the inputs.</param>
    void LowerMixedTransposeUV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> z, Span<double> destination);
}
