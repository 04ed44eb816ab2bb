namespace Pbgd.Solvers;

/// <summary>
/// The work a solver did, counted by the solver itself and carried cumulatively by every record, the result and the
/// checkpoint (a resumed run's counts include the work before its checkpoint).
/// </summary>
/// <param name="UpperSteps">Accepted upper steps: the iterations.</param>
/// <param name="Evaluations">Evaluations of the method's objective with its gradient at a point (PBGD: L_γ, or φ_γ with an
/// exact v-step; line searches evaluate several points per accepted step).</param>
/// <param name="ExactSolves">Exact lower-level solves (v*(u), argmin_v L_γ(u, ·)).</param>
/// <param name="InnerSteps">Lower-level gradient steps (the iterative oracle's, inexact v-steps, the baselines' auxiliary
/// iterate).</param>
/// <param name="Backtracks">Line-search trial points rejected.</param>
/// <param name="SecondOrderProducts">Hessian–vector and mixed second-order products (RXGF).</param>
public readonly record struct SolverCounts(
    long UpperSteps, long Evaluations, long ExactSolves, long InnerSteps, long Backtracks, long SecondOrderProducts)
{
    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant(
        $"{UpperSteps} steps, {Evaluations} evaluations, {ExactSolves} exact solves, {InnerSteps} inner steps, {Backtracks} backtracks{(SecondOrderProducts > 0 ? $", {SecondOrderProducts} second-order products" : "")}");
}
