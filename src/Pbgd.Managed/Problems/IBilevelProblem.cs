namespace Pbgd.Problems;

/// <summary>
/// A bilevel problem min_{u ∈ U, v ∈ S(u)} f(u, v) with S(u) = argmin_v g(u, v) (docs/algorithms.md §1), over flat
/// <c>double</c> vectors u (upper variable) and v (lower variable). Implement it for your own problem and any
/// Pbgd solver runs on it.
/// </summary>
/// <remarks>
/// Gradient outputs are optional: pass an empty span to skip a block (implementations must then not compute
/// it when that saves work). Implementations may keep internal work buffers, so one instance must not be
/// used from several threads at once; give each concurrent solver its own instance.
/// </remarks>
public interface IBilevelProblem
{
    /// <summary>Length of u.</summary>
    int UpperDimension { get; }

    /// <summary>Length of v.</summary>
    int LowerDimension { get; }

    /// <summary>f(u, v), writing ∇_u f and ∇_v f into the non-empty spans.</summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="v">Lower variable.</param>
    /// <param name="gradU">∇_u f (length <see cref="UpperDimension"/>) or empty.</param>
    /// <param name="gradV">∇_v f (length <see cref="LowerDimension"/>) or empty.</param>
    /// <returns>f(u, v).</returns>
    double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV);

    /// <summary>g(u, v), writing ∇_u g and ∇_v g into the non-empty spans.</summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="v">Lower variable.</param>
    /// <param name="gradU">∇_u g (length <see cref="UpperDimension"/>) or empty.</param>
    /// <param name="gradV">∇_v g (length <see cref="LowerDimension"/>) or empty.</param>
    /// <returns>g(u, v).</returns>
    double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV);

    /// <summary>Projects u onto the feasible set U in place (identity when U is the whole space).</summary>
    /// <param name="u">Upper variable, overwritten by its projection.</param>
    void ProjectUpper(Span<double> u);

    /// <summary>
    /// Estimates of the smoothness constants ℓ_f and ℓ_g near (u, v), from which default step sizes are derived
    /// (docs/algorithms.md §3: β ≤ 1/ℓ_g, α ≤ 1/(ℓ_f + γ ℓ_g)).
    /// </summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="v">Lower variable.</param>
    Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v);

    /// <summary>
    /// One of the problem's optional capabilities, or null when it has none of that kind: <see cref="IExactLowerLevel"/>,
    /// <see cref="IExactPenalizedLowerLevel"/>, <see cref="ILowerLevelPair"/>, <see cref="ILowerLevelSecondOrder"/>,
    /// <c>Checkpoints.IFingerprinted</c>, <c>Checkpoints.IResumable</c>. Solvers ask here rather than casting, so a wrapper
    /// (a counting or logging decorator) forwards exactly the capabilities the wrapped problem has. The default answers
    /// with the problem itself when it implements <typeparamref name="T"/>.
    /// </summary>
    /// <typeparam name="T">The capability's interface.</typeparam>
    T? GetCapability<T>() where T : class => this as T;
}

/// <summary>Smoothness estimates of a problem (Lipschitz constants of the gradients).</summary>
/// <param name="Upper">ℓ_f, for the joint variable (u, v).</param>
/// <param name="Lower">ℓ_g, for the joint variable (u, v).</param>
/// <param name="LowerInV">ℓ of ∇_v g(u, ·), which bounds the lower-level step β ≤ 1/ℓ.</param>
/// <param name="IsLocal">True when the estimates hold only near (u, v) (e.g. the bilinear W1·W2 model), so
/// solvers re-estimate them every iteration; false when they are global constants.</param>
/// <param name="UpperInU">ℓ of ∇_u f in u alone (NaN when unknown).</param>
/// <param name="LowerInU">ℓ of ∇_u g in u alone (NaN when unknown). When both u-block constants are known,
/// PBGD-B, whose v-step is a separate block, bounds its u-step by them: α = c/(ℓ_f,u + γℓ_g,u).</param>
public readonly record struct Smoothness(double Upper, double Lower, double LowerInV, bool IsLocal,
    double UpperInU = double.NaN, double LowerInU = double.NaN)
{
    /// <summary>Whether the u-block constants are known.</summary>
    public bool HasUpperBlock => double.IsFinite(UpperInU) && double.IsFinite(LowerInU);
}
