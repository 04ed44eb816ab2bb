namespace Pbgd.Problems.Toys;

/// <summary>
/// The V-PBGD toy (Shen &amp; Chen 2023; docs/algorithms.md §6), with x = u ∈ [0, 3] and y = v:
/// <code>
/// g = (x + y)² + x sin²(x + y)        f = cos(4y + 2)/(1 + e^{2−4x}) + ½ ln((4x − 2)² + 1)
/// </code>
/// <para>Lower level: write t = x + y. For x ≥ 0, g = t² + x sin²t ≥ 0 with equality only at t = 0, so
/// S(x) = {−x} and g*(x) = 0 (<see cref="SolveLower"/> is that closed form). It is not convex in y for x &gt; 1
/// (∂²g/∂y² = 2 + 2x cos 2t), but ∂g/∂y = 2t + x sin 2t has t = 0 as its only zero on x ∈ [0, 3]:
/// (2t + x sin 2t)/t ≥ 0.69 there (checked on a fine grid in the tests), and g ≤ (1 + x)t² ≤ 4t², so
/// |∂g/∂y|² ≥ 0.11·(g − g*): the lower level is PL in y, as V-PBGD and [XC24] assume.</para>
/// </summary>
public sealed partial class VpbgdToy : IBilevelProblem, IExactLowerLevel
{
    /// <inheritdoc />
    public int UpperDimension => 1;

    /// <inheritdoc />
    public int LowerDimension => 1;

    /// <inheritdoc />
    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        double x = u[0], y = v[0];
        double a = 1 / (1 + Math.Exp(2 - 4 * x));
        double c = Math.Cos(4 * y + 2), q = 4 * x - 2;
        if (!gradU.IsEmpty) gradU[0] = c * 4 * a * (1 - a) + 4 * q / (q * q + 1);
        if (!gradV.IsEmpty) gradV[0] = -4 * Math.Sin(4 * y + 2) * a;
        return c * a + 0.5 * Math.Log(q * q + 1);
    }

    /// <inheritdoc />
    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        double x = u[0], t = u[0] + v[0], s = Math.Sin(t);
        if (!gradU.IsEmpty) gradU[0] = 2 * t + s * s + x * Math.Sin(2 * t);
        if (!gradV.IsEmpty) gradV[0] = 2 * t + x * Math.Sin(2 * t);
        return t * t + x * s * s;
    }

    /// <inheritdoc />
    public void ProjectUpper(Span<double> u) => u[0] = Math.Clamp(u[0], 0, 3);

    /// <summary>
    /// Global bounds, valid for x ∈ [0, 3] and every y, from the Hessians (t = x + y, σ = 1/(1 + e^{2−4x}),
    /// q = 4x − 2), using ‖[[a, b], [b, c]]‖₂ ≤ max(|a|, |c|) + |b| for a symmetric 2×2 matrix:
    /// <code>
    /// g_xx = 2 + 2 sin 2t + 2x cos 2t   |g_xx| ≤ 2 + 2√(1 + x²) ≤ 2 + 2√10 ≈ 8.33
    /// g_xy = 2 + sin 2t + 2x cos 2t     |g_xy| ≤ 2 + √(1 + 4x²) ≤ 2 + √37  ≈ 8.09
    /// g_yy = 2 + 2x cos 2t              |g_yy| ≤ 2 + 2x ≤ 8 (attained at t = 0, x = 3)
    /// f_xx = cos(4y+2)·16σ(1−σ)(1−2σ) + 16(1 − q²)/(1 + q²)²   |f_xx| ≤ 16/(6√3) + 16 ≈ 17.54
    /// f_xy = −4 sin(4y+2)·4σ(1−σ)       |f_xy| ≤ 4
    /// f_yy = −16 cos(4y+2)·σ            |f_yy| ≤ 16
    /// </code>
    /// so ℓ_g ≤ 16.42 (reported 16.5), ℓ_g in y = 8, ℓ_f ≤ 21.54 (reported 21.6), and in x alone ℓ_f ≤ 17.6,
    /// ℓ_g ≤ 8.4. Sampling the Hessians on a grid gives ≈ 16.2, 8, 17.0, 16.0 and 8.3 (see the tests), so the
    /// bounds are within about 30 % of the truth.
    /// </summary>
    /// <param name="u">x.</param>
    /// <param name="v">y.</param>
    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v) =>
        new(Upper: 21.6, Lower: 16.5, LowerInV: 8, IsLocal: false, UpperInU: 17.6, LowerInU: 8.4);

    /// <inheritdoc />
    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
    {
        vStar[0] = -u[0];
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, 1, true);
    }
}
