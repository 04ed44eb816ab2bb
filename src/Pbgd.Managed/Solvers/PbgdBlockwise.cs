using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// PBGD-B (Gauss–Seidel / blockwise): v^{k+1} = argmin_v L_γ(u^k, v) first, then a projected u-step at
/// (u^k, v^{k+1}), for L_γ that is PL in each block (docs/algorithms.md §3; the hyper-cleaning case study).
/// The v-step is exact when the problem implements <see cref="IExactPenalizedLowerLevel"/> (and
/// <see cref="PbgdOptions.ExactLowerStep"/>), else <see cref="PbgdOptions.LowerStepIterations"/> warm-started
/// gradient steps on L_γ(u^k, ·).
/// </summary>
public sealed class PbgdBlockwise : PbgdSolver
{
    private readonly IExactPenalizedLowerLevel? _exact;

    /// <summary>Creates the solver.</summary>
    /// <param name="problem">The bilevel problem.</param>
    /// <param name="oracle">The lower-level oracle for g*(u) and ∇g*(u).</param>
    /// <param name="options">Options; null for the defaults.</param>
    public PbgdBlockwise(IBilevelProblem problem, ILowerLevelOracle oracle, PbgdOptions? options = null)
        : base(problem, oracle, options) =>
        _exact = Options.ExactLowerStep ? problem.GetCapability<IExactPenalizedLowerLevel>() : null;

    /// <inheritdoc />
    public override string Name => "PBGD-B";

    /// <summary>Whether the v-step is solved exactly.</summary>
    public bool ExactLowerStep => _exact is not null;

    private protected override void PrepareLower(PbgdState state, double gamma, double alpha)
    {
        if (_exact is not null)
        {
            var info = _exact.MinimizePenalized(state.U, gamma, state.V);
            state.Count(exactSolves: 1);
            if (!info.FullRank) state.RankDeficientSeen = true;
            return;
        }
        if (state.InexactLowerStep is { } inexact)
        {
            // Under a line-search upper step: L-BFGS on L_γ(u, ·) to the tolerance the outer gradient norm sets (§3a).
            var (absolute, relative) = InnerTolerance(state.InnerReference, gamma, oracle: false);
            var (evaluations, _) = inexact.Solve(state.V, gamma, absolute, relative, Options.InnerMaxIterations);
            state.Count(innerSteps: evaluations);
            return;
        }
        // ∇_v L_γ = ∇_v f + γ∇_v g, stepped with the joint bound 1/(ℓ_f + γℓ_g) (§3).
        double alphaV = Options.StepSize ?? Options.StepScale / (state.Smoothness.Upper + gamma * state.Smoothness.LowerInV);
        for (int t = 0; t < Options.LowerStepIterations; t++)
        {
            Problem.Upper(state.U, state.V, Span<double>.Empty, state.GradFV);
            Problem.Lower(state.U, state.V, Span<double>.Empty, state.GradGV);
            Blas.Axpy(gamma, state.GradGV, state.GradFV);
            Blas.Axpy(-alphaV, state.GradFV, state.V);
        }
        state.Count(innerSteps: Options.LowerStepIterations);
    }

    private protected override bool JointUpperStep => false;

    private protected override bool HasExactLowerStep => _exact is not null;

    private protected override void AdvanceLower(PbgdState state, double alpha) { }

    // Blockwise PL: v is minimised separately, so the u-step only needs the u-block smoothness when the
    // problem knows it (hyper-cleaning: the joint ℓ_g is dominated by ‖X_trn‖₂², which would freeze u).
    private protected override double StepSize(Smoothness smoothness, double gamma)
    {
        double denominator = smoothness.UpperInU + gamma * smoothness.LowerInU;
        // γ = 0 at the start of a ramp can leave no u-curvature at all: fall back to the joint bound.
        if (Options.StepSize is not null || !smoothness.HasUpperBlock || !(denominator > 0))
            return base.StepSize(smoothness, gamma);
        double alpha = Options.StepScale / denominator;
        if (Options.ScaleStepByInverseGamma) alpha *= Math.Min(1.0, 1.0 / gamma);
        return alpha;
    }
}
