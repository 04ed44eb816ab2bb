using Pbgd.Optimization;

namespace Pbgd.LowerLevel;

/// <summary>
/// An unconstrained inner minimisation solved to a residual tolerance by L-BFGS (<see cref="ProjectedLbfgs"/> on an
/// unbounded box), warm-started from the point it is given: the v-step argmin_v L_γ(u, ·) of PBGD-B and the oracle's
/// argmin_v g(u, ·) when the outer step has a line search (docs/algorithms.md §3a). It stops at the first evaluated point
/// whose gradient norm ‖∇‖₂ is ≤ max(absolute, relative·‖∇ at the start‖), after <c>maxIterations</c> accepted steps, or
/// when the line search finds nothing better (rounding floor); the caller reads the residual it reached. Every buffer is
/// allocated by the constructor, so a solve allocates no managed memory.
/// </summary>
internal sealed class InnerLbfgs
{
    private readonly ProjectedLbfgs _lbfgs;

    /// <param name="objective">The function of v (its definition may change between solves, e.g. a new u).</param>
    /// <param name="memory">Curvature pairs kept within a solve.</param>
    /// <param name="maxBacktracks">Line-search trials per step before the solve ends where it is.</param>
    internal InnerLbfgs(IDifferentiableObjective objective, int memory, int maxBacktracks)
    {
        _lbfgs = new ProjectedLbfgs(objective, Box.Unbounded(objective.Dimension), new BoxMinimizerOptions
        {
            // The tolerance is tested here in the Euclidean norm; the minimiser's own tests are off.
            MaxIterations = int.MaxValue, GradientTolerance = 0, RelativeGradientTolerance = 0, FunctionTolerance = 0,
            Memory = memory, MaxBacktracks = maxBacktracks,
        });
    }

    /// <summary>Minimises from <paramref name="x"/> (the warm start) and writes the point reached back into it.</summary>
    /// <param name="x">In: the start; out: the last accepted point.</param>
    /// <param name="absolute">Stop once ‖∇‖₂ ≤ this…</param>
    /// <param name="relative">…or ≤ this × ‖∇‖₂ at the start (0: off).</param>
    /// <param name="maxIterations">Accepted L-BFGS steps at most.</param>
    /// <returns>The objective evaluations (start and every line-search trial) and the residual ‖∇‖₂ at the point
    /// returned (NaN when the start is not finite; the start is then returned unchanged).</returns>
    internal (int Evaluations, double Residual) Solve(Span<double> x, double absolute, double relative, int maxIterations)
    {
        _lbfgs.Init(x);
        double residual = Norm(_lbfgs.Gradient);
        double target = Math.Max(absolute, relative * residual);
        while (_lbfgs.Status == Optimization.StopReason.None && !(residual <= target) && _lbfgs.Counts.Iterations < maxIterations)
        {
            // A failed line search (the point and gradient stay) or a zero gradient sets Status, which ends the loop.
            _lbfgs.Step();
            residual = Norm(_lbfgs.Gradient);
        }
        if (_lbfgs.Status == Optimization.StopReason.Diverged) return (_lbfgs.Counts.Evaluations, double.NaN);
        _lbfgs.Point.CopyTo(x);
        return (_lbfgs.Counts.Evaluations, residual);
    }

    // Plain loop: its summation order is fixed, so a resumed run repeats the original's decisions to the bit.
    private static double Norm(ReadOnlySpan<double> g)
    {
        double sum = 0;
        for (int i = 0; i < g.Length; i++) sum += g[i] * g[i];
        return Math.Sqrt(sum);
    }
}
