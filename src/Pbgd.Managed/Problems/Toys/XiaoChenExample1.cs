namespace Pbgd.Problems.Toys;

/// <summary>
/// [XC24] Example 1 (docs/algorithms.md §6): f = ½(u − 2 sin v)², g = ½(u − v)², scalar u and v. S(u) = {u}; the nested
/// F(u) = ½(u − 2 sin u)² is not PL (global minima F = 0 at u = 0, ±1.8955; stationary points at ±π/3), yet
/// L_γ's stationary points with |v| &lt; 4 other than the minima are saddles, so PBGD reaches a global minimum.
/// </summary>
public sealed partial class XiaoChenExample1 : IBilevelProblem, IExactLowerLevel, IExactPenalizedLowerLevel
{
    /// <inheritdoc />
    public int UpperDimension => 1;

    /// <inheritdoc />
    public int LowerDimension => 1;

    /// <summary>The nested objective F(u) = f(u, v*(u)) = ½(u − 2 sin u)².</summary>
    /// <param name="u">u.</param>
    public static double Nested(double u) => 0.5 * Math.Pow(u - 2 * Math.Sin(u), 2);

    /// <inheritdoc />
    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        double r = u[0] - 2 * Math.Sin(v[0]);
        if (!gradU.IsEmpty) gradU[0] = r;
        if (!gradV.IsEmpty) gradV[0] = -2 * Math.Cos(v[0]) * r;
        return 0.5 * r * r;
    }

    /// <inheritdoc />
    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        double r = u[0] - v[0];
        if (!gradU.IsEmpty) gradU[0] = r;
        if (!gradV.IsEmpty) gradV[0] = -r;
        return 0.5 * r * r;
    }

    /// <inheritdoc />
    public void ProjectUpper(Span<double> u) { }

    /// <summary>Local bounds: the Hessian of f is [[1, −2cos v], [−2cos v, 4cos²v + 2 sin v·(u − 2 sin v)]], so
    /// ‖∇²f‖ ≤ 1 + 2 + 4 + 2|u − 2 sin v|; g's Hessian [[1, −1], [−1, 1]] has norm 2.</summary>
    /// <param name="u">u.</param>
    /// <param name="v">v.</param>
    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v) =>
        new(7 + 2 * Math.Abs(u[0] - 2 * Math.Sin(v[0])), 2, 1, IsLocal: true);

    /// <inheritdoc />
    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
    {
        vStar[0] = u[0];
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, 1, true);
    }

    /// <summary>
    /// The global argmin_v ½(u − 2 sin v)² + (γ/2)(u − v)², which has no closed form and is not convex in v for small
    /// γ: a grid scan of the derivative over the interval u ± |u − 2 sin u|/√γ that must contain every minimiser,
    /// each local minimum polished by safeguarded Newton, the lowest kept (reported as
    /// <see cref="LowerSolveInfo.ClosedForm"/>, i.e. problem-specific). γ = 0 gives sin v = clamp(u/2, −1, 1).
    /// </summary>
    /// <param name="u">u.</param>
    /// <param name="gamma">γ ≥ 0.</param>
    /// <param name="v">Output v.</param>
    public LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v)
    {
        CheckLengths(u, v);
        v[0] = Example1PenalizedSearch.Minimize(u[0], gamma);
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, 1, true);
    }

    private static void CheckLengths(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        if (u.Length != 1) throw new ArgumentException($"u has {u.Length} elements; Example 1 has scalar u.", nameof(u));
        if (v.Length != 1) throw new ArgumentException($"v has {v.Length} elements; Example 1 has scalar v.", nameof(v));
    }
}
