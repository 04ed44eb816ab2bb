using Pbgd.Problems;

namespace Pbgd.Tests.LowerLevel;

/// A tiny strongly convex lower level with everything in closed form:
///   g(u, v) = Σᵢ ½aᵢvᵢ² − uᵢvᵢ,   ∇_v g(u, v) = a∘v − u,   v*(u) = u ./ a,   g*(u) = −Σᵢ uᵢ²/(2aᵢ);
///   f(u, v) = ½‖v‖² (the oracles never read it).
/// A gradient step ω ← ω − β(a∘ω − u) multiplies each error ωᵢ − vᵢ* by (1 − βaᵢ), so T steps give
/// ω_T = v* + (1 − βa)^T ∘ (ω₀ − v*). It counts the oracles' calls, reports ℓ = <see cref="Lipschitz"/> (max aᵢ
/// unless set) as its LowerInV smoothness, and offers the exact capability only when <c>exact</c>.
internal sealed class DiagonalLowerProblem(double[] a, bool exact = true) : IBilevelProblem, IExactLowerLevel
{
    internal double[] A { get; } = a;
    internal double Lipschitz { get; set; } = a.Max();
    internal bool LocalSmoothness { get; set; }
    internal int LowerCalls { get; private set; }
    internal int SmoothnessCalls { get; private set; }
    internal LowerSolveInfo ExactInfo { get; set; } = new(LowerSolveInfo.ClosedForm, a.Length, true);

    public int UpperDimension => A.Length;
    public int LowerDimension => A.Length;

    public T? GetCapability<T>() where T : class => exact || typeof(T) != typeof(IExactLowerLevel) ? this as T : null;

    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        double f = 0;
        for (int i = 0; i < A.Length; i++) { f += 0.5 * v[i] * v[i]; if (!gradV.IsEmpty) gradV[i] = v[i]; }
        if (!gradU.IsEmpty) gradU.Clear();
        return f;
    }

    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        LowerCalls++;
        double g = 0;
        for (int i = 0; i < A.Length; i++)
        {
            g += 0.5 * A[i] * v[i] * v[i] - u[i] * v[i];
            if (!gradV.IsEmpty) gradV[i] = A[i] * v[i] - u[i];
            if (!gradU.IsEmpty) gradU[i] = -v[i];
        }
        return g;
    }

    public void ProjectUpper(Span<double> u) { }

    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        SmoothnessCalls++;
        return new Smoothness(1, Lipschitz, Lipschitz, LocalSmoothness);
    }

    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
    {
        for (int i = 0; i < A.Length; i++) vStar[i] = u[i] / A[i];
        return ExactInfo;
    }

    /// ‖a∘v − u‖₂ by a plain loop: the residual the oracles report, computed independently of them.
    internal double Residual(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        double sum = 0;
        for (int i = 0; i < A.Length; i++) sum += (A[i] * v[i] - u[i]) * (A[i] * v[i] - u[i]);
        return Math.Sqrt(sum);
    }
}
