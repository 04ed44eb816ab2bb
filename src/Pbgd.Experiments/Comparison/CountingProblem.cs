using Pbgd.Problems;

namespace Pbgd.Experiments.Comparison;

/// <summary>
/// Forwards every call to a problem and counts it, so that solvers are compared by the work they asked for rather
/// than by their own bookkeeping. It implements every optional interface; <see cref="ComparisonRunner"/> only lets a
/// solver use one the wrapped problem has (<see cref="Supports{T}"/>), so it is internal rather than a public decorator
/// that would claim capabilities it lacks.
/// </summary>
internal sealed class CountingProblem(IBilevelProblem inner) : IBilevelProblem, IExactLowerLevel, IExactPenalizedLowerLevel, ILowerLevelSecondOrder
{
    private long _gradients, _values, _solves, _products;

    internal IBilevelProblem Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    internal bool Supports<T>() where T : class => Inner is T;

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

    private T Require<T>() where T : class => Inner as T ?? throw new NotSupportedException($"{Inner.GetType().Name} does not implement {typeof(T).Name}.");
}
