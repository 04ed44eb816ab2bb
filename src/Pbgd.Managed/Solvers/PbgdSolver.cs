using System.Text.Json.Nodes;
using Pbgd.Checkpoints;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// The shared machinery of PBGD-J and PBGD-B (docs/algorithms.md §3): evaluate L_γ and its gradient with the oracle's
/// ω, and step. The loop (history, stopping rules, checkpoints) is <see cref="BilevelSolver{TState}"/>'s.
/// </summary>
public abstract class PbgdSolver : BilevelSolver<PbgdState>
{
    private readonly ILowerLevelPair? _pair;
    private readonly ITolerancedOracle? _tolerancedOracle;

    private protected PbgdSolver(IBilevelProblem problem, ILowerLevelOracle oracle, PbgdOptions? options)
        : base(problem, options ?? new PbgdOptions())
    {
        ArgumentNullException.ThrowIfNull(oracle);
        Oracle = oracle;
        Options = options ?? new PbgdOptions();
        _pair = problem.GetCapability<ILowerLevelPair>();
        // Only a line search sets the oracle's tolerance; under the fixed step it keeps its own.
        _tolerancedOracle = Options.UpperStep != UpperStepRule.Gradient ? oracle as ITolerancedOracle : null;
    }

    /// <summary>The lower-level oracle.</summary>
    public ILowerLevelOracle Oracle { get; }

    /// <summary>The options.</summary>
    public PbgdOptions Options { get; }

    private protected override string OracleName => Oracle.Name;

    private protected override bool OracleIsExact => Oracle.IsExact;

    private protected override object[] FingerprintFacts() => [.. base.FingerprintFacts(), Oracle.Name];

    private protected override PbgdState CreateState()
    {
        var state = new PbgdState(Problem.UpperDimension, Problem.LowerDimension);
        if (Options.UpperStep != UpperStepRule.Gradient)
        {
            if (!JointUpperStep && !HasExactLowerStep)
                state.InexactLowerStep = new PenalizedLowerStep(Problem, state, Options.Memory, Options.MaxBacktracks);
            state.Upper = new LineSearchUpperStep(this, state, Options.UpperStep, Options, JointUpperStep);
        }
        return state;
    }

    /// <summary>Whether PBGD-B's v-step is solved exactly (false for PBGD-J, which has none).</summary>
    private protected virtual bool HasExactLowerStep => false;

    /// <summary>Whether some inner solve is inexact to a tolerance the line search sets (an L-BFGS v-step or a toleranced
    /// oracle): the line-search step then checks the accuracy of a new point and tightens on a failed search.</summary>
    internal bool HasInexactInnerSolves(PbgdState state) => state.InexactLowerStep is not null || _tolerancedOracle is not null;

    /// <summary>
    /// The inexact inner solves' tolerances for reference G (docs/algorithms.md §3a): ‖∇_v L_γ‖₂ ≤ max(κG, floor) for the
    /// v-step and ‖∇_v g‖₂ ≤ max(κG/γ, floor) for the oracle (+∞ at γ = 0, where g* does not enter L_γ); with no reference
    /// yet (NaN), the floor and a relative reduction by κ.
    /// </summary>
    internal (double Absolute, double Relative) InnerTolerance(double reference, double gamma, bool oracle)
    {
        double floor = Options.InnerToleranceFloor, kappa = Options.InnerToleranceFactor;
        if (double.IsNaN(reference)) return (floor, kappa);
        double target = kappa * reference;
        if (oracle) target = gamma > 0 ? target / gamma : double.PositiveInfinity;
        return (Math.Max(floor, target), 0);
    }

    /// <summary>Whether a record's inner residuals meet the tolerances of reference G, up to <paramref name="slack"/>.</summary>
    internal bool InnerResidualsWithin(PbgdState state, in IterationRecord record, double reference, double slack)
    {
        if (state.InexactLowerStep is not null
            && !(record.LowerBlockGradientNorm <= slack * InnerTolerance(reference, record.Gamma, oracle: false).Absolute)) return false;
        return _tolerancedOracle is null
               || record.OracleResidual <= slack * Math.Max(_tolerancedOracle.Floor, InnerTolerance(reference, record.Gamma, oracle: true).Absolute);
    }

    /// <summary>Whether a line-search upper step moves (u, v) together (PBGD-J) or u alone over φ_γ (PBGD-B).</summary>
    private protected abstract bool JointUpperStep { get; }

    private protected override void OnInit(PbgdState state) => state.Smoothness = Problem.EstimateSmoothness(state.U, state.V);

    private protected override IResumable? OracleResumable() => Oracle as IResumable;

    private protected override bool RankDeficientSeen(PbgdState state) => state.RankDeficientSeen;

    private protected override SolverResult CreateResult(SolverResultCore core, PbgdState state) =>
        new PbgdResult(core, Options.Penalty.Gamma(state.Iteration), state.Smoothness);

    /// <summary>
    /// Measures L_γ at the point the next step starts from and prepares that step: with the fixed step, the projected
    /// u-step of the gradient mapping; with a line search, the record of the point it accepted.
    /// </summary>
    private protected override IterationRecord Evaluate(PbgdState state, bool logged)
    {
        int k = state.Iteration;
        double gamma = Options.Penalty.Gamma(k);
        if (state.Upper is { } upper) return upper.Measure(gamma);
        if (state.Smoothness.IsLocal) state.Smoothness = Problem.EstimateSmoothness(state.U, state.V);
        double alpha = StepSize(state.Smoothness, gamma);
        var record = EvaluatePoint(state, gamma, alpha);

        // Gradient mapping G_u = (u − Proj_U(u − α d_u))/α: the stationarity measure of projected gradient descent; its
        // projected point is exactly the next u, so the u-step reuses it.
        var du = state.DirectionU;
        var next = state.NextU;
        for (int i = 0; i < next.Length; i++) next[i] = state.U[i] - alpha * du[i];
        Problem.ProjectUpper(next);
        double sumU = 0;
        for (int i = 0; i < next.Length; i++)
        {
            double gi = (state.U[i] - next[i]) / alpha;
            sumU += gi * gi;
        }
        double normU = Math.Sqrt(sumU), normV = record.LowerBlockGradientNorm;
        return record with { StepSize = alpha, UpperBlockGradientNorm = normU, GradientNorm = Math.Sqrt(sumU + normV * normV) };
    }

    /// <summary>
    /// L_γ at the state's (u, v) (after PBGD-B's v-step) with the oracle's ω, and its gradient: d_u = ∇_u f + γ(∇_u g(u,v) −
    /// ∇_u g(u,ω)), d_v = ∇_v f + γ∇_v g(u,v) in the state's directions. For PBGD-B with an exact v-step this is φ_γ(u)
    /// and ∇φ_γ(u). The record's step and u-block norm are left for the step rule to fill in.
    /// </summary>
    internal IterationRecord EvaluatePoint(PbgdState state, double gamma, double alpha = double.NaN)
    {
        PrepareLower(state, gamma, alpha);
        if (_tolerancedOracle is not null)
        {
            var (absolute, relative) = InnerTolerance(state.InnerReference, gamma, oracle: true);
            _tolerancedOracle.SetTolerance(absolute, relative);
        }
        var report = Oracle.Estimate(state.U, state.Omega);
        state.Count(evaluations: 1, exactSolves: Oracle.IsExact ? 1 : 0, innerSteps: report.GradientSteps);
        if (!report.FullRank) state.RankDeficientSeen = true;

        double f = Problem.Upper(state.U, state.V, state.GradFU, state.GradFV);
        // g(u, v) and g(u, ω) share u and the data: a problem that can do both in one pass over it says so.
        var (g, gStar) = _pair is not null
            ? _pair.LowerPair(state.U, state.V, state.Omega, state.GradGU, state.GradGV, state.GradStarU, state.GradStarV)
            : (Problem.Lower(state.U, state.V, state.GradGU, state.GradGV), Problem.Lower(state.U, state.Omega, state.GradStarU, state.GradStarV));

        var du = state.DirectionU;
        var dv = state.DirectionV;
        for (int i = 0; i < du.Length; i++)
            du[i] = state.GradFU[i] + gamma * (state.GradGU[i] - state.GradStarU[i]);
        for (int i = 0; i < dv.Length; i++)
            dv[i] = state.GradFV[i] + gamma * state.GradGV[i];
        double normV = Blas.Nrm2(dv);
        return new IterationRecord(state.Iteration, 0, gamma, alpha, f, g, gStar, f + gamma * (g - gStar), normV, double.NaN, normV,
            Blas.Nrm2(state.GradStarV), report.GradientSteps, report.Rank);
    }

    /// <summary>Takes the step prepared by the last evaluation.</summary>
    private protected override StepOutcome Advance(PbgdState state)
    {
        if (state.Upper is { } upper) return upper.Advance();
        Array.Copy(state.NextU, state.U, state.U.Length);
        AdvanceLower(state, state.Last.StepSize);
        return StepOutcome.Moved;
    }

    /// <summary>PBGD-B's v-step before the evaluation; nothing for PBGD-J.</summary>
    private protected abstract void PrepareLower(PbgdState state, double gamma, double alpha);

    /// <summary>PBGD-J's simultaneous v-step; nothing for PBGD-B.</summary>
    private protected abstract void AdvanceLower(PbgdState state, double alpha);

    /// <summary>The step the gradient rule would take at γ from the state's smoothness estimate (the line-search steps' first trial).</summary>
    internal double GradientRuleStep(PbgdState state, double gamma) => StepSize(state.Smoothness, gamma);

    /// <summary>α_k: fixed, or c/(ℓ_f + γℓ_g); times min(1, 1/γ) under V-PBGD's rule.</summary>
    private protected virtual double StepSize(Smoothness smoothness, double gamma)
    {
        double alpha = Options.StepSize ?? Options.StepScale / (smoothness.Upper + gamma * smoothness.Lower);
        if (Options.ScaleStepByInverseGamma) alpha *= Math.Min(1.0, 1.0 / gamma);
        return alpha;
    }

    private protected override ConvergenceCriteria MetCriteria(PbgdState state, in IterationRecord r)
    {
        var o = Options;
        if (o.GradientTolerance is null && o.LowerGapTolerance is null && o.PenalizedGapTolerance is null)
            return ConvergenceCriteria.None;
        var met = ConvergenceCriteria.None;
        if (o.GradientTolerance is { } gt)
        {
            if (r.GradientNorm > gt * (1 + Math.Abs(r.Penalized))) return ConvergenceCriteria.None;
            met |= ConvergenceCriteria.Gradient;
        }
        if (o.LowerGapTolerance is { } lt)
        {
            if (r.LowerGap > lt) return ConvergenceCriteria.None;
            met |= ConvergenceCriteria.LowerGap;
        }
        if (o.PenalizedGapTolerance is { } pt)
        {
            if (r.Penalized - o.PenalizedReference!.Value > pt) return ConvergenceCriteria.None;
            met |= ConvergenceCriteria.PenalizedGap;
        }
        return met;
    }

    /// <summary>What a checkpoint keeps of a PBGD run besides the iterates: the smoothness estimate the steps derive from
    /// (computed once at the start for global estimates, so saved rather than recomputed) and the rank flag.</summary>
    /// <param name="Smoothness">The estimate in use.</param>
    /// <param name="RankDeficientSeen">Whether an exact solve met a rank-deficient design so far.</param>
    /// <param name="UpperStep">The line-search upper step's state (null for the fixed step).</param>
    public sealed record State(Smoothness Smoothness, bool RankDeficientSeen, JsonNode? UpperStep = null);

    private protected override JsonNode? SaveSolverState(PbgdState state) =>
        StateJson.ToNode(new State(state.Smoothness, state.RankDeficientSeen, state.Upper?.Save()));

    private protected override void RestoreSolverState(PbgdState state, JsonNode? saved)
    {
        var s = StateJson.FromNode<State>(saved, "the checkpoint's solverState");
        var m = s.Smoothness;
        foreach (var (value, name) in new[] { (m.Upper, "upper"), (m.Lower, "lower"), (m.LowerInV, "lowerInV") })
            if (!(value >= 0) || !double.IsFinite(value))
                throw new InvalidDataException($"the checkpoint's solverState.smoothness.{name} is {value}; smoothness constants must be finite and ≥ 0.");
        state.Smoothness = m;
        state.RankDeficientSeen = s.RankDeficientSeen;
        if (state.Upper is { } upper) upper.Restore(s.UpperStep);
    }
}
