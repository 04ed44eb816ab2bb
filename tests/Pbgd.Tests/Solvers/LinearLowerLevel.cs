using Pbgd.LowerLevel;
using Pbgd.Problems;

namespace Pbgd.Tests.Solvers;

// f = ½(u² + ‖v‖²), g = 1ᵀv (+ 0·u): a lower level whose gradient never vanishes, for the infeasible-QP stop.
internal class LinearLowerLevel : IBilevelProblem, ILowerLevelSecondOrder
{
    public int UpperDimension => 1;
    public int LowerDimension => 2;
    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        if (!gradU.IsEmpty) gradU[0] = u[0];
        if (!gradV.IsEmpty) { gradV[0] = v[0]; gradV[1] = v[1]; }
        return 0.5 * (u[0] * u[0] + v[0] * v[0] + v[1] * v[1]);
    }
    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        if (!gradU.IsEmpty) gradU[0] = 0;
        if (!gradV.IsEmpty) { gradV[0] = 1; gradV[1] = 1; }
        return v[0] + v[1];
    }
    public void ProjectUpper(Span<double> u) { }
    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => new(1, 1, 1, IsLocal: false);
    public void LowerHessianVV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination) => destination.Clear();
    public void LowerMixedTransposeVU(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination) => destination.Clear();
    public void LowerMixedTransposeUV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> z, Span<double> destination) => destination.Clear();
}
