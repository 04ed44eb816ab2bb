using Pbgd.Problems;

namespace Pbgd.Experiments.Comparison;

/// <summary>
/// Forwards every call to a problem and counts it, so that solvers are compared by the work they asked for rather
/// than by their own bookkeeping. It offers exactly the capabilities the wrapped problem has
/// (<see cref="GetCapability{T}"/>): the counted ones through itself, the others (fingerprint, resumable state) as the
/// wrapped problem's own, so a solver takes the same path under <c>compare</c> as under <c>hyperclean</c>.
/// </summary>
internal sealed class CountingProblem(IBilevelProblem inner)
    : IBilevelProblem, IExactLowerLevel, IExactPenalizedLowerLevel, ILowerLevelPair, ILowerLevelSecondOrder
{
    private long _gradients, _values, _solves, _products;

    internal IBilevelProblem Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    public T? GetCapability<T>() where T : class
    {
        var own = Inner.GetCapability<T>();
        if (own is null) return null;
        // Counted capabilities answer through this wrapper; the rest are the wrapped problem's.
        return IsCounted(typeof(T)) ? this as T : own;
    }

    private static bool IsCounted(Type t) =>
        t == typeof(IExactLowerLevel) || t == typeof(IExactPenalizedLowerLevel) || t == typeof(ILowerLevelPair) || t == typeof(ILowerLevelSecondOrder);

    internal WorkCounts Counts => new(_gradients, _values, _solves, _products);

    public int UpperDimension => Inner.UpperDimension;

    public int LowerDimension => Inner.LowerDimension;

    public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        Count(gradU, gradV);
        return Inner.Upper(u, v, gradU, gradV);
    }

    public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
    {
        Count(gradU, gradV);
        return Inner.Lower(u, v, gradU, gradV);
    }

    public void ProjectUpper(Span<double> u) => Inner.ProjectUpper(u);

    public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => Inner.EstimateSmoothness(u, v);

    public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
    {
        _solves++;
        return Require<IExactLowerLevel>().SolveLower(u, vStar);
    }

    public LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v)
    {
        _solves++;
        return Require<IExactPenalizedLowerLevel>().MinimizePenalized(u, gamma, v);
    }

    public (double AtV, double AtOmega) LowerPair(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> omega,
        Span<double> gradU, Span<double> gradV, Span<double> gradUOmega, Span<double> gradVOmega)
    {
        // Two evaluations of g, as the two Lower calls it replaces count.
        Count(gradU, gradV);
        Count(gradUOmega, gradVOmega);
        return Require<ILowerLevelPair>().LowerPair(u, v, omega, gradU, gradV, gradUOmega, gradVOmega);
    }

    public void LowerHessianVV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        _products++;
        Require<ILowerLevelSecondOrder>().LowerHessianVV(u, v, w, destination);
    }

    public void LowerMixedTransposeVU(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> w, Span<double> destination)
    {
        _products++;
        Require<ILowerLevelSecondOrder>().LowerMixedTransposeVU(u, v, w, destination);
    }

    public void LowerMixedTransposeUV(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> z, Span<double> destination)
    {
        _products++;
        Require<ILowerLevelSecondOrder>().LowerMixedTransposeUV(u, v, z, destination);
    }

    private void Count(Span<double> gradU, Span<double> gradV)
    {
        if (gradU.IsEmpty && gradV.IsEmpty) _values++;
        else _gradients++;
    }

    private T Require<T>() where T : class => Inner.GetCapability<T>() ?? throw new NotSupportedException($"{Inner.GetType().Name} does not implement {typeof(T).Name}.");
}
