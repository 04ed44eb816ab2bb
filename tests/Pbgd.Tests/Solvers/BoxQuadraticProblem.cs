using Pbgd.LowerLevel;
using Pbgd.Problems;

namespace Pbgd.Tests.Solvers;

/// A tiny quadratic bilevel problem whose every quantity a solver uses is written out here, for plain-loop references:
///   g(u, v) = ½‖v − Bu‖²,   f(u, v) = ½‖v − a‖² + ½c‖u‖²,   u ∈ [lo, hi]ⁿ,
/// so ∇_u f = cu, ∇_v f = v − a, ∇_u g = −Bᵀ(v − Bu), ∇_v g = v − Bu, v*(u) = Bu, ∇²_vv g = I, (∇²_vu g)ᵀw = −Bᵀw.
/// The smoothness constants are given (not estimated), so the derived steps are known numbers; the exact penalized v-step
/// can be hidden to force PBGD-B's gradient v-step.
internal sealed class BoxQuadraticProblem(double[] b, int n, int p, double[] a, double c, double lo, double hi, Smoothness smoothness)
    : IBilevelProblem, IExactLowerLevel, IExactPenalizedLowerLevel, ILowerLevelSecondOrder
{
    internal double[] B { get; } = b;
    internal double[] A { get; } = a;
    internal double C { get; } = c;
    internal double Lo { get; } = lo;
    internal double Hi { get; } = hi;
    internal Smoothness Given { get; } = smoothness;
    internal bool OfferExactPenalized { get; init; } = true;
    /// Another feasible set's projection in place of the box's clamp (for the line-search steps' check that U is a box).
    internal Projection? Project { get; init; }
    internal int SmoothnessCalls { get; private set; }

    public int UpperDimension => n;
    public int LowerDimension => p;

    T? IBilevelProblem.GetCapability<T>() where T : class =>
        typeof(T) == typeof(IExactPenalizedLowerLevel) && !OfferExactPenalized ? null : this as T;

    /// (Bu)_i.
    internal double[] Bu(ReadOnlySpan<double> u)
    {
        var r = new double[p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < n; j++) r[i] += B[i * n + j] * u[j];
        return r;
    }

    /// Bᵀw.
    internal double[] BtW(ReadOnlySpan<double> w)
    {
        var r = new double[n];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < n; j++) r[j] += B[i * n + j] * w[i];
        return r;
    }

    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        double f = 0;
        for (int i = 0; i < p; i++) { double r = v[i] - A[i]; f += 0.5 * r * r; if (!gradV.IsEmpty) gradV[i] = r; }
        for (int j = 0; j < n; j++) { f += 0.5 * C * u[j] * u[j]; if (!gradU.IsEmpty) gradU[j] = C * u[j]; }
        return f;
    }

    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        var bu = Bu(u);
        var r = new double[p];
        double g = 0;
        for (int i = 0; i < p; i++) { r[i] = v[i] - bu[i]; g += 0.5 * r[i] * r[i]; if (!gradV.IsEmpty) gradV[i] = r[i]; }
        if (!gradU.IsEmpty) { var bt = BtW(r); for (int j = 0; j < n; j++) gradU[j] = -bt[j]; }
        return g;
    }

    public void ProjectUpper(Span<double> u)
    {
        if (Project is { } project) { project(u); return; }
        for (int j = 0; j < u.Length; j++) u[j] = Math.Clamp(u[j], Lo, Hi);
    }

    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        SmoothnessCalls++;
        return Given;
    }

    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
    {
        Bu(u).CopyTo(vStar);
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, p, true);
    }

    /// argmin_v ½‖v − a‖² + γ½‖v − Bu‖² = (a + γBu)/(1 + γ).
    public LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v)
    {
        var bu = Bu(u);
        for (int i = 0; i < p; i++) v[i] = (A[i] + gamma * bu[i]) / (1 + gamma);
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, p, true);
    }

    public void LowerHessianVV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination) =>
        w.CopyTo(destination);

    public void LowerMixedTransposeVU(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        var bt = BtW(w);
        for (int j = 0; j < n; j++) destination[j] = -bt[j];
    }

    public void LowerMixedTransposeUV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> z, Span<double> destination)
    {
        var bz = Bu(z);
        for (int i = 0; i < p; i++) destination[i] = -bz[i];
    }

    /// n = 2, p = 3, a box that the first steps run into, and u-block constants when asked for.
    internal static BoxQuadraticProblem Small(bool upperBlock = false, double lo = -0.3, double hi = 0.25) => new(
        [1.0, -0.5, 0.25, 2.0, -1.5, 0.75], 2, 3, [1.0, -2.0, 0.5], 0.4, lo, hi,
        new Smoothness(1.5, 9.0, 1.0, IsLocal: false, UpperInU: upperBlock ? 0.4 : double.NaN, LowerInU: upperBlock ? 6.5 : double.NaN));
}

internal delegate void Projection(Span<double> u);

/// An oracle that is deliberately off by a fixed δ (ω = Bu + δ) and says it took a fixed number of steps, with a rank
/// that is not full when asked: its effect on every formula that reads ω is then visible. With δ = 0 and exact = true it is
/// the exact oracle, counting its calls.
internal sealed class OffsetOracle(BoxQuadraticProblem problem, double[] delta, int steps, bool fullRank = true, bool exact = false) : ILowerLevelOracle
{
    internal int Calls { get; private set; }

    public string Name => "offset";

    public bool IsExact => exact;

    public OracleReport Estimate(ReadOnlySpan<double> u, Span<double> omega)
    {
        Calls++;
        var bu = problem.Bu(u);
        for (int i = 0; i < omega.Length; i++) omega[i] = bu[i] + delta[i];
        return new OracleReport(steps, fullRank ? omega.Length : omega.Length - 1, fullRank);
    }
}
