namespace Pbgd.Problems.Toys;

// g = ½(u − v)²: ∇²_vv g = 1, ∇²_uv g = ∇²_vu g = −1.
public sealed partial class XiaoChenExample1 : ILowerLevelSecondOrder
{
    /// <inheritdoc />
    public void LowerHessianVV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        SecondOrderShapes.Check(1, 1, u, v, w, false, destination, false);
        destination[0] = w[0];
    }

    /// <inheritdoc />
    public void LowerMixedTransposeVU(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        SecondOrderShapes.Check(1, 1, u, v, w, false, destination, true);
        destination[0] = -w[0];
    }

    /// <inheritdoc />
    public void LowerMixedTransposeUV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> z, Span<double> destination)
    {
        SecondOrderShapes.Check(1, 1, u, v, z, true, destination, false);
        destination[0] = -z[0];
    }
}
