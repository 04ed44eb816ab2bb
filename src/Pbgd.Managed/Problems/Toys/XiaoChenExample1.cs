namespace Pbgd.Problems.Toys;

/// <summary>
/// [XC24] Example 1 (ALGORITHMS.md §6): f = ½(u − 2 sin v)², g = ½(u − v)², scalar u and v. S(u) = {u}; the nested
/// F(u) = ½(u − 2 sin u)² is not PL (global minima F = 0 at u = 0, ±1.8955; stationary points at ±π/3), yet
/// L_γ's stationary points with |v| &lt; 4 other than the minima are saddles, so PBGD reaches a global minimum.
/// </summary>
public sealed class XiaoChenExample1 : IBilevelProblem, IExactLowerLevel, IExactPenalizedLowerLevel
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
        return new LowerSolveInfo(LowerSolveMethod.ClosedForm, 1, true);
    }

    /// <summary>argmin_v ½(u − 2 sin v)² + (γ/2)(u − v)² has no closed form; Newton's method from v = u,
    /// safeguarded by halving so the value never increases.</summary>
    /// <param name="u">u.</param>
    /// <param name="gamma">γ.</param>
    /// <param name="v">Output v.</param>
    public LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v)
    {
        double x = u[0], y = x;
        double Value(double t) => 0.5 * Math.Pow(x - 2 * Math.Sin(t), 2) + 0.5 * gamma * Math.Pow(x - t, 2);
        for (int k = 0; k < 100; k++)
        {
            double r = x - 2 * Math.Sin(y);
            double grad = -2 * Math.Cos(y) * r - gamma * (x - y);
            double hess = 4 * Math.Cos(y) * Math.Cos(y) + 2 * Math.Sin(y) * r + gamma;
            double step = hess > 0 ? grad / hess : grad / (gamma + 7);
            double t = 1, current = Value(y);
            while (t > 1e-12 && Value(y - t * step) > current) t *= 0.5;
            y -= t * step;
            if (Math.Abs(t * step) <= 1e-15 * Math.Max(1, Math.Abs(y))) break;
        }
        v[0] = y;
        return new LowerSolveInfo(LowerSolveMethod.ClosedForm, 1, true);
    }
}
