namespace Pbgd.Experiments.Comparison;

/// <summary>The work a solver asked of its problem, counted by <see cref="CountingProblem"/>.</summary>
/// <param name="Gradients">Calls of f or g that computed a gradient block (one call may give both blocks).</param>
/// <param name="Values">Value-only calls of f or g (for F²SA, BOME and RXGF these are the measurements of each
/// iteration — f, g and g(u, ω) — which PBGD gets from its gradient calls).</param>
/// <param name="ExactSolves">Exact lower-level solves (v*(u) or argmin_v L_γ; LAPACK least squares on the built-in problems).</param>
/// <param name="SecondOrderProducts">Hessian–vector and mixed second-order products.</param>
public readonly record struct WorkCounts(long Gradients, long Values, long ExactSolves, long SecondOrderProducts);
