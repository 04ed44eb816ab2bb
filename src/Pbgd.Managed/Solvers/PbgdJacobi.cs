using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// PBGD-J (Jacobi): u and v step simultaneously from the same point, for L_γ satisfying a joint PL condition
/// (docs/algorithms.md §3; the linear representation-learning case study).
/// </summary>
public sealed class PbgdJacobi : PbgdSolver
{
    /// <summary>Creates the solver.</summary>
    /// <param name="problem">The bilevel problem.</param>
    /// <param name="oracle">The lower-level oracle for g*(u) and ∇g*(u).</param>
    /// <param name="options">Options; null for the defaults.</param>
    public PbgdJacobi(IBilevelProblem problem, ILowerLevelOracle oracle, PbgdOptions? options = null)
        : base(problem, oracle, options) { }

    /// <inheritdoc />
    public override string Name => "PBGD-J";

    private protected override void PrepareLower(PbgdState state, double gamma, double alpha) { }

    private protected override bool JointUpperStep => true;

    private protected override void AdvanceLower(PbgdState state, double alpha) =>
        Blas.Axpy(-alpha, state.DirectionV, state.V);
}
