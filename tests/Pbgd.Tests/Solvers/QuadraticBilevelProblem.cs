using Pbgd.Problems;

namespace Pbgd.Tests.Solvers;

/// A user-defined problem, written only against the public interfaces, as a library user would:
///   g(u, v) = ½‖v − B u‖²,   f(u, v) = ½‖v − a‖² + ½c‖u‖²,   v*(u) = B u,  g* = 0.
/// Its bilevel optimum u* = (cI + BᵀB)⁻¹Bᵀa and min L_γ are closed forms.
internal sealed class QuadraticBilevelProblem : IBilevelProblem, IExactLowerLevel, IExactPenalizedLowerLevel
{
    internal QuadraticBilevelProblem(double[] b, int p, int q, double[] a, double c)
    {
        (B, P, Q, A, C) = (b, p, q, a, c);
    }

    internal double[] B { get; }   // q×p
    internal int P { get; }
    internal int Q { get; }
    internal double[] A { get; }
    internal double C { get; }

    public int UpperDimension => P;
    public int LowerDimension => Q;

    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        double f = 0;
        for (int i = 0; i < Q; i++) { double r = v[i] - A[i]; f += 0.5 * r * r; if (!gradV.IsEmpty) gradV[i] = r; }
        for (int j = 0; j < P; j++) { f += 0.5 * C * u[j] * u[j]; if (!gradU.IsEmpty) gradU[j] = C * u[j]; }
        return f;
    }

    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        double g = 0;
        if (!gradU.IsEmpty) gradU.Clear();
        for (int i = 0; i < Q; i++)
        {
            double bu = 0;
            for (int j = 0; j < P; j++) bu += B[i * P + j] * u[j];
            double r = v[i] - bu;
            g += 0.5 * r * r;
            if (!gradV.IsEmpty) gradV[i] = r;
            if (!gradU.IsEmpty) for (int j = 0; j < P; j++) gradU[j] -= B[i * P + j] * r;
        }
        return g;
    }

    public void ProjectUpper(Span<double> u) { }

    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        // ‖B‖₂² ≤ ‖B‖_F²: a safe global bound.
        double bf = 0;
        foreach (var x in B) bf += x * x;
        return new Smoothness(Math.Max(1, C), 1 + bf, 1, IsLocal: false);
    }

    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
    {
        for (int i = 0; i < Q; i++)
        {
            double bu = 0;
            for (int j = 0; j < P; j++) bu += B[i * P + j] * u[j];
            vStar[i] = bu;
        }
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, Q, true);
    }

    public LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v)
    {
        SolveLower(u, v);
        for (int i = 0; i < Q; i++) v[i] = (A[i] + gamma * v[i]) / (1 + gamma);
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, Q, true);
    }

    internal static QuadraticBilevelProblem Create(int seed, int p = 3, int q = 5, double c = 0.5)
    {
        var random = new Random(seed);
        var b = new double[q * p];
        var a = new double[q];
        for (int i = 0; i < b.Length; i++) b[i] = random.NextDouble() * 2 - 1;
        for (int i = 0; i < a.Length; i++) a[i] = random.NextDouble() * 4 - 2;
        return new QuadraticBilevelProblem(b, p, q, a, c);
    }

    /// (cI + γ/(1+γ) BᵀB) u = γ/(1+γ) Bᵀa, v = (a + γBu)/(1+γ): the minimiser of the strongly convex L_γ.
    internal (double[] U, double[] V, double Value) MinimizeL(double gamma)
    {
        double t = gamma / (1 + gamma);
        var m = new double[P * P];
        var rhs = new double[P];
        for (int j = 0; j < P; j++)
        {
            for (int k = 0; k < P; k++)
            {
                double s = 0;
                for (int i = 0; i < Q; i++) s += B[i * P + j] * B[i * P + k];
                m[j * P + k] = t * s + (j == k ? C : 0);
            }
            double r = 0;
            for (int i = 0; i < Q; i++) r += B[i * P + j] * A[i];
            rhs[j] = t * r;
        }
        var u = Support.DenseSolve.Solve(m, rhs, P);
        var v = new double[Q];
        MinimizePenalized(u, gamma, v);
        double value = Upper(u, v, default, default) + gamma * Lower(u, v, default, default);
        return (u, v, value);
    }

    /// The bilevel optimum u* = (cI + BᵀB)⁻¹Bᵀa (the γ → ∞ limit of the above: γ/(1+γ) → 1).
    internal (double[] U, double Value) BilevelOptimum()
    {
        var (u, _, _) = MinimizeL(1e300);
        var v = new double[Q];
        SolveLower(u, v);
        return (u, Upper(u, v, default, default));
    }
}
