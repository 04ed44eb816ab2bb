using Pbgd.Linalg;

namespace Pbgd.Kernels;

/// <summary>The float32 copy of a feature matrix that the <c>DataPrecision.Single</c> passes read.</summary>
internal static class SingleCopy
{
    /// <summary>X rounded to float, 64-byte aligned (the kernels' loads then never split a cache line).</summary>
    /// <param name="x">The matrix.</param>
    /// <param name="name">Its name in the error message (the constructor argument).</param>
    /// <exception cref="ArgumentException">An entry overflows float32 (|x| &gt; 3.4e38): the error names it.</exception>
    internal static AlignedBuffer<float> Of(Matrix x, string name)
    {
        var single = new AlignedBuffer<float>(x.Rows * x.Columns);
        var target = single.Span;
        ScaledToSingle.Run(x.Span, 1.0, target);
        for (int i = 0; i < target.Length; i++)
            if (!float.IsFinite(target[i]) && double.IsFinite(x.Span[i]))
                throw new ArgumentException(FormattableString.Invariant(
                    $"{name}[{i / x.Columns}, {i % x.Columns}] = {x.Span[i]:G6} does not fit in single precision (|x| ≤ 3.4e38); use double precision."), name);
        return single;
    }
}
