using Pbgd.Problems;

namespace Pbgd.Tests.Solvers;

/// A one-dimensional problem that plays a script, for the shared loop's rules (stops, history, divergence, counters):
///   f(u, v) = script[round(u)] + ½v²  with ∇_u f = −1 (a constant, whatever the value),   g(u, v) = ½v²,   u ∈ [0, hi].
/// From v⁰ = 0 and ω = v* = 0 the v-block stays 0 and g = g* = 0, so L_γ = script[k] at any γ; with the fixed step α = 1,
/// PBGD's u-step is u ← min(u + 1, hi), so the k-th point is u = k (until hi) and its gradient mapping is exactly 1 (0 at
/// hi). F²SA and BOME with unit steps move u the same way. A NaN or ∞ in the script makes that point's record non-finite.
internal sealed class ScriptedProblem(double[] script, double hi = 1_000) : IBilevelProblem, IExactLowerLevel
{
    public int UpperDimension => 1;
    public int LowerDimension => 1;

    internal int Index(ReadOnlySpan<double> u) => (int)Math.Min(Math.Round(u[0]), script.Length - 1);

    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        if (!gradU.IsEmpty) gradU[0] = -1;
        if (!gradV.IsEmpty) gradV[0] = v[0];
        return script[Index(u)] + 0.5 * v[0] * v[0];
    }

    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        if (!gradU.IsEmpty) gradU[0] = 0;
        if (!gradV.IsEmpty) gradV[0] = v[0];
        return 0.5 * v[0] * v[0];
    }

    public void ProjectUpper(Span<double> u) => u[0] = Math.Clamp(u[0], 0, hi);

    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => new(1, 1, 1, IsLocal: false);

    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
    {
        vStar[0] = 0;
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, 1, true);
    }
}
