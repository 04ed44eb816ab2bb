namespace Pbgd.Problems.Toys;

// With t = x + y: g_yy = 2 + 2x cos 2t and g_xy = g_yx = 2 + sin 2t + 2x cos 2t (the derivation is in
// EstimateSmoothness's remarks).
public sealed partial class VpbgdToy : ILowerLevelSecondOrder
{
    /// <inheritdoc />
    public void LowerHessianVV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        SecondOrderShapes.Check(1, 1, u, v, w, false, destination, false);
        double x = u[0], t = u[0] + v[0];
        destination[0] = (2 + 2 * x * Math.Cos(2 * t)) * w[0];
    }

    /// <inheritdoc />
    public void LowerMixedTransposeVU(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        SecondOrderShapes.Check(1, 1, u, v, w, false, destination, true);
        destination[0] = Mixed(u[0], v[0]) * w[0];
    }

    /// <inheritdoc />
    public void LowerMixedTransposeUV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> z, Span<double> destination)
    {
        SecondOrderShapes.Check(1, 1, u, v, z, true, destination, false);
        destination[0] = Mixed(u[0], v[0]) * z[0];
    }

    private static double Mixed(double x, double y)
    {
        double t = x + y;
        return 2 + Math.Sin(2 * t) + 2 * x * Math.Cos(2 * t);
    }
}
