namespace Pbgd.Problems.Toys;

/// <summary>
/// Global minimisation in v of φ(v) = ½(u − 2 sin v)² + (γ/2)(u − v)² ([XC24] Example 1's L_γ(u, ·) up to the
/// constant γg*), which is not convex for small γ and can have several local minima: a local Newton method from
/// v = u may end in the wrong one (it did, e.g. at u = −4.25, γ = 0.05).
/// </summary>
/// <remarks>
/// Every global minimiser lies in u ± R with R = |u − 2 sin u|/√γ, because (γ/2)(u − v)² ≤ φ(v) ≤ φ(u). The search
/// scans φ' on a grid of spacing <see cref="Spacing"/> over that interval, polishes every bracket where φ' turns
/// from negative to non-negative (a local minimum) by Newton steps safeguarded by bisection on φ', and keeps the
/// lowest value. It can only miss a local minimum that sits with a local maximum inside one grid cell; such a
/// minimum is lower than the cell's left end by at most the cell's tiny rise, so the value lost is negligible.
/// </remarks>
internal static class Example1PenalizedSearch
{
    internal const double Spacing = 0.01;

    internal static double Minimize(double u, double gamma)
    {
        if (!(gamma >= 0) || !double.IsFinite(gamma))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ must be finite and ≥ 0.");
        if (!double.IsFinite(u)) throw new ArgumentOutOfRangeException(nameof(u), u, "u must be finite.");
        double residual = u - 2 * Math.Sin(u);
        if (residual == 0) return u; // φ(u) = 0 = min φ.
        // γ = 0: min ½(u − 2 sin v)² is attained where sin v = clamp(u/2, −1, 1); asin picks the one nearest 0.
        if (gamma == 0) return Math.Asin(Math.Clamp(u / 2, -1, 1));
        double radius = Math.Abs(residual) / Math.Sqrt(gamma) * (1 + 1e-9) + 1e-12;
        int cells = Math.Max(1, (int)Math.Ceiling(2 * radius / Spacing));
        double lo = u - radius, width = 2 * radius / cells;
        double best = u, bestValue = Value(u, gamma, u);
        double a = lo, da = Derivative(u, gamma, a);
        for (int k = 1; k <= cells; k++)
        {
            double b = k == cells ? u + radius : lo + k * width, db = Derivative(u, gamma, b);
            if (da < 0 && db >= 0)
            {
                double v = Polish(u, gamma, a, b), value = Value(u, gamma, v);
                if (value < bestValue) (best, bestValue) = (v, value);
            }
            (a, da) = (b, db);
        }
        return best;
    }

    private static double Value(double u, double gamma, double v)
    {
        double r = u - 2 * Math.Sin(v), d = u - v;
        return 0.5 * r * r + 0.5 * gamma * d * d;
    }

    // φ'(v) = −2 cos v (u − 2 sin v) − γ(u − v)
    private static double Derivative(double u, double gamma, double v) => -2 * Math.Cos(v) * (u - 2 * Math.Sin(v)) - gamma * (u - v);

    // φ''(v) = 4 cos²v + 2 sin v (u − 2 sin v) + γ
    private static double Curvature(double u, double gamma, double v)
    {
        double c = Math.Cos(v), s = Math.Sin(v);
        return 4 * c * c + 2 * s * (u - 2 * s) + gamma;
    }

    // Root of φ' in [a, b] with φ'(a) < 0 ≤ φ'(b): Newton from the midpoint, bisection whenever Newton leaves the
    // bracket or φ'' ≤ 0. The bracket shrinks every step, so this ends at a root to rounding: when Newton no longer
    // moves v, or no double lies strictly between the bracket's ends.
    private static double Polish(double u, double gamma, double a, double b)
    {
        double v = 0.5 * (a + b);
        for (int iteration = 0; iteration < 500; iteration++)
        {
            double d = Derivative(u, gamma, v);
            if (d == 0) return v;
            if (d < 0) a = v; else b = v;
            double h = Curvature(u, gamma, v);
            double next = h > 0 ? v - d / h : double.NaN;
            if (next == v) return v;
            if (!(next > a && next < b)) next = 0.5 * (a + b);
            if (next <= a || next >= b) return v;
            v = next;
        }
        return v;
    }
}
