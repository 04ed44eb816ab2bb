using Pbgd.LowerLevel;
using Pbgd.Optimization;
using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// PBGD-B's inexact v-step under a line-search upper step (docs/algorithms.md §3a): v ← argmin_v L_γ(u, v) = f(u, v) +
/// γ·g(u, v) (g* does not depend on v) by L-BFGS, warm-started from the current v, to the tolerance the solver derives
/// from the outer gradient norm. Each evaluation reads the upper-level data once (f, ∇_v f) and the lower-level data once
/// (g, ∇_v g). Buffers are allocated once per run.
/// </summary>
internal sealed class PenalizedLowerStep
{
    private readonly Objective _objective;
    private readonly InnerLbfgs _solver;

    internal PenalizedLowerStep(IBilevelProblem problem, PbgdState state, int memory, int maxBacktracks)
    {
        _objective = new Objective(problem, state.U);
        _solver = new InnerLbfgs(_objective, memory, maxBacktracks);
    }

    /// <summary>Minimises L_γ(u, ·) from v (in place) at the state's u.</summary>
    /// <returns>Evaluations taken and the residual ‖∇_v L_γ‖₂ reached.</returns>
    internal (int Evaluations, double Residual) Solve(Span<double> v, double gamma, double absolute, double relative, int maxIterations)
    {
        _objective.Gamma = gamma;
        return _solver.Solve(v, absolute, relative, maxIterations);
    }

    // f(u, v) + γ·g(u, v) and its v-gradient at the state's u.
    private sealed class Objective(IBilevelProblem problem, double[] u) : IDifferentiableObjective
    {
        private readonly double[] _gradF = new double[problem.LowerDimension];

        internal double Gamma { get; set; }

        public int Dimension => problem.LowerDimension;

        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
        {
            double f = problem.Upper(u, x, Span<double>.Empty, _gradF);
            double g = problem.Lower(u, x, Span<double>.Empty, gradient);
            double gamma = Gamma;
            for (int i = 0; i < gradient.Length; i++) gradient[i] = _gradF[i] + gamma * gradient[i];
            return f + gamma * g;
        }
    }
}
