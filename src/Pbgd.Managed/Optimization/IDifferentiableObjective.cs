namespace Pbgd.Optimization;

/// <summary>
/// A smooth function f: ℝⁿ → ℝ evaluated together with its gradient (one call, because in Pbgd both come from
/// the same inner solves). A return of NaN or ±∞ means "outside the domain": minimisers treat such a trial point
/// as a failed trial and backtrack; they never accept it.
/// </summary>
public interface IDifferentiableObjective
{
    /// <summary>The number n of variables.</summary>
    int Dimension { get; }

    /// <summary>Returns f(x) and writes ∇f(x) into <paramref name="gradient"/>.</summary>
    /// <param name="x">The point (length <see cref="Dimension"/>); it must not be kept.</param>
    /// <param name="gradient">Receives ∇f(x) (length <see cref="Dimension"/>).</param>
    /// <returns>f(x); NaN or ±∞ when x is outside the domain (the gradient is then ignored).</returns>
    double Evaluate(ReadOnlySpan<double> x, Span<double> gradient);

    /// <summary>How x is laid out over processes, when it is one process's share of a vector spread over several (a
    /// data-parallel run): the minimisers then take every inner product, norm and decision over it globally, and their
    /// iterates do not depend on the number of processes. Null (the default): x is an ordinary local vector.</summary>
    Pbgd.Distributed.VectorLayout? Layout => null;
}
