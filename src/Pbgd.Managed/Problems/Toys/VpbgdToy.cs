namespace Pbgd.Problems.Toys;

/// <summary>
/// The V-PBGD toy (Shen &amp; Chen 2023; ALGORITHMS.md §6), with x = u ∈ [0, 3] and y = v:
/// <code>
/// g = (x + y)² + x sin²(x + y)        f = cos(4y + 2)/(1 + e^{2−4x}) + ½ ln((4x − 2)² + 1)
/// </code>
/// For x ≥ 0, g ≥ 0 with equality only at x + y = 0, so y*(x) = −x and g* = 0.
/// </summary>
public sealed class VpbgdToy : IBilevelProblem, IExactLowerLevel
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

    /// <summary>Global bounds over x ∈ [0, 3]: |∂²f| ≤ 16·max|a''|… bounded by 40 (a'' ≤ 16·0.1, the log term's
    /// curvature ≤ 16, the cosine's 16); g's Hessian entries are bounded by 2 + 2x + 2 ≤ 10, so ℓ_g ≤ 20 and
    /// ℓ in y ≤ 2 + 2x ≤ 8.</summary>
    /// <param name="u">x.</param>
    /// <param name="v">y.</param>
    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => new(40, 20, 8, IsLocal: false);

    /// <inheritdoc />
    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
    {
        vStar[0] = -u[0];
        return new LowerSolveInfo(LowerSolveMethod.ClosedForm, 1, true);
    }
}
