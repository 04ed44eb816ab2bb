namespace Pbgd.Problems.Toys;

/// <summary>
/// A bilevel problem whose lower level is <see cref="SpdLeastSquaresLower"/>, g(x, y) = ½‖Hy − x‖² with x = u and y = v of
/// the same dimension: everything but the upper level — g, y*(x) = H⁻¹x, the second-order products (∇²_yy g = H²,
/// ∇²_xy g = −H) and the argument checks — shared by <see cref="RxgfToy"/> and <see cref="ConvexQuadraticToy"/>.
/// </summary>
public abstract class SpdLowerLevelProblem : IBilevelProblem, IExactLowerLevel, ILowerLevelSecondOrder
{
    private protected SpdLowerLevelProblem(SpdLeastSquaresLower lower) => Lower = lower;

    /// <summary>The lower level g = ½‖Hy − x‖².</summary>
    public SpdLeastSquaresLower Lower { get; }

    /// <inheritdoc />
    public int UpperDimension => Lower.Dimension;

    /// <inheritdoc />
    public int LowerDimension => Lower.Dimension;

    /// <inheritdoc />
    public abstract double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV);

    double IBilevelProblem.Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        CheckShapes(u, v);
        return Lower.Value(u, v, gradU, gradV);
    }

    /// <inheritdoc />
    public void ProjectUpper(Span<double> u) { }

    /// <inheritdoc />
    public abstract Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v);

    /// <summary>y* = H⁻¹x (closed form).</summary>
    /// <param name="u">x.</param>
    /// <param name="vStar">Output y*.</param>
    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
    {
        CheckShapes(u, vStar);
        Lower.ApplySpectral(u, static (l, _) => 1 / l, 0, vStar);
        return new LowerSolveInfo(LowerSolveInfo.ClosedForm, u.Length, true);
    }

    /// <inheritdoc />
    public void LowerHessianVV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        SecondOrderShapes.Check(UpperDimension, LowerDimension, u, v, w, false, destination, false);
        Lower.MultiplySquared(w, destination);
    }

    /// <inheritdoc />
    public void LowerMixedTransposeVU(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        SecondOrderShapes.Check(UpperDimension, LowerDimension, u, v, w, false, destination, true);
        Lower.Multiply(w, destination, -1.0);
    }

    /// <inheritdoc />
    public void LowerMixedTransposeUV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> z, Span<double> destination)
    {
        SecondOrderShapes.Check(UpperDimension, LowerDimension, u, v, z, true, destination, false);
        Lower.Multiply(z, destination, -1.0);
    }

    private protected void CheckShapes(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
    {
        if (u.Length != UpperDimension) throw new ArgumentException($"x has {u.Length} elements; expected d = {UpperDimension}.", nameof(u));
        if (v.Length != LowerDimension) throw new ArgumentException($"y has {v.Length} elements; expected d = {LowerDimension}.", nameof(v));
    }
}
