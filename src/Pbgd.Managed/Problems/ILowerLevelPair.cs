namespace Pbgd.Problems;

/// <summary>
/// Optional: a problem that evaluates g and its gradients at two lower points (v and the oracle's ω) for the same u
/// in one go — e.g. one pass over the data with both models side by side. The PBGD solvers use it when the problem
/// implements it; the results must equal two calls of <see cref="IBilevelProblem.Lower"/>.
/// </summary>
public interface ILowerLevelPair
{
    /// <summary>g(u, v) and g(u, ω), with their gradients (empty spans: not wanted).</summary>
    /// <param name="u">Upper variable.</param>
    /// <param name="v">First lower point.</param>
    /// <param name="omega">Second lower point.</param>
    /// <param name="gradU">∇_u g(u, v).</param>
    /// <param name="gradV">∇_v g(u, v).</param>
    /// <param name="gradUOmega">∇_u g(u, ω).</param>
    /// <param name="gradVOmega">∇_v g(u, ω).</param>
    /// <returns>(g(u, v), g(u, ω)).</returns>
    (double AtV, double AtOmega) LowerPair(ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> omega,
        Span<double> gradU, Span<double> gradV, Span<double> gradUOmega, Span<double> gradVOmega);
}
