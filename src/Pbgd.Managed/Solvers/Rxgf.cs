using System.Text.Json.Nodes;
using Pbgd.Checkpoints;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// The discretized relaxed gradient flow of Abolfazli et al. 2025 ([A25], docs/algorithms.md §7, update rule
/// reconstructed): min f(z) s.t. h(z) = ‖∇_v g(z)‖² ≤ ε over z = (u, v), stepping along the closed-form solution of
/// <code>
/// d = argmin ½‖d + ∇f‖²  s.t.  ∇hᵀd ≤ −α(h − ε)   =   −∇f − λ∇h,   λ = max{0, (α(h − ε) − ∇hᵀ∇f)/‖∇h‖²}
/// ∇h = 2[(∇²_vu g)ᵀ∇_v g; ∇²_vv g·∇_v g]       z ← z + η_k d   (u then projected onto U)
/// </code>
/// with a fixed η or, by default, η_k = c/(ℓ_f + 2λ_k ℓ_g²) (see <see cref="RxgfOptions.StepSize"/>)
/// and reporting the squared KKT residual ‖G‖² + max(0, h − ε)² + (λ(h − ε))², where G = ∇f + λ∇h, or for a
/// bounded U the gradient mapping (z − Proj(z + ηd))/η. It needs the products of <see cref="ILowerLevelSecondOrder"/>.
/// When ∇h = 0 while h &gt; ε the direction problem is infeasible and the run stops with
/// <see cref="StopReason.ConstraintQpInfeasible"/> instead of dividing by zero. g*(u) is measured by a reporting oracle
/// at logged points only, off the method's clock.
/// </summary>
public sealed class Rxgf : BilevelSolver<RxgfState>
{
    private readonly ILowerLevelSecondOrder _second;

    /// <summary>Creates the solver.</summary>
    /// <param name="problem">The problem; it must offer <see cref="ILowerLevelSecondOrder"/>.</param>
    /// <param name="reportingOracle">Measures g*(u) for the records only (not part of the method, not counted).</param>
    /// <param name="options">Options; null for the defaults.</param>
    public Rxgf(IBilevelProblem problem, ILowerLevelOracle reportingOracle, RxgfOptions? options = null)
        : base(problem, options ?? new RxgfOptions())
    {
        ArgumentNullException.ThrowIfNull(reportingOracle);
        _second = problem.GetCapability<ILowerLevelSecondOrder>() ?? throw new ArgumentException(
            $"{problem.GetType().Name} has no second-order products (ILowerLevelSecondOrder), which RXGF's ∇h needs.", nameof(problem));
        ReportingOracle = reportingOracle;
        Options = options ?? new RxgfOptions();
    }

    /// <inheritdoc />
    public override string Name => "RXGF";

    /// <summary>Measures g*(u) for the reports.</summary>
    public ILowerLevelOracle ReportingOracle { get; }

    /// <summary>The options.</summary>
    public RxgfOptions Options { get; }

    private protected override string OracleName => ReportingOracle.Name;

    private protected override bool OracleIsExact => ReportingOracle.IsExact;

    private protected override object[] FingerprintFacts() => [.. base.FingerprintFacts(), ReportingOracle.Name];

    private protected override RxgfState CreateState() => new(Problem.UpperDimension, Problem.LowerDimension);

    private protected override void OnInit(RxgfState state) => state.Smoothness = Problem.EstimateSmoothness(state.U, state.V);

    private protected override IResumable? OracleResumable() => ReportingOracle as IResumable;

    private protected override bool IsComplete(in IterationRecord record) => !double.IsNaN(record.LowerOptimal);

    private protected override bool IsDiverged(in IterationRecord r) =>
        !double.IsFinite(r.Upper) || !double.IsFinite(r.Lower) || !double.IsFinite(r.KktResidual);

    private protected override ConvergenceCriteria MetCriteria(RxgfState state, in IterationRecord record) =>
        Options.KktTolerance is { } tol && record.KktResidual <= tol ? ConvergenceCriteria.Kkt : ConvergenceCriteria.None;

    private protected override StopReason? OwnStop(RxgfState state, in IterationRecord record) =>
        state.Infeasible ? StopReason.ConstraintQpInfeasible : null;

    private protected override SolverResult CreateResult(SolverResultCore core, RxgfState state) =>
        new RxgfResult(core, Options.Epsilon, core.Final.Gamma, core.Final.KktResidual);

    private protected override IterationRecord Complete(RxgfState state, in IterationRecord record) => WithLowerOptimal(state, record);

    // The step: u from the projected point Evaluate prepared, v along d_v = −∇_v f − λ∇_v h; with backtracking, η halves
    // until the merit decreases enough.
    private protected override StepOutcome Advance(RxgfState state)
    {
        double eta = state.Last.StepSize;
        if (!Options.Backtracking || Options.StepSize is not null)
        {
            Array.Copy(state.NextU, state.U, state.U.Length);
            Blas.Axpy(eta, state.HV, state.V);
            return StepOutcome.Moved;
        }
        const double c1 = 1e-4;
        var (u, v, tu, tv) = (state.U, state.V, state.TrialU, state.TrialV);
        for (int trial = 0; trial <= Options.MaxBacktracks; trial++, eta = Math.Max(0.5 * eta, state.DerivedStep))
        {
            // d_u = (NextU − u)/η₀ at the first trial's η₀; the trial's u is the projection of u + η·d_u.
            double scale = eta / state.Last.StepSize;
            for (int i = 0; i < u.Length; i++) tu[i] = u[i] + scale * (state.DirectionU[i]);
            Problem.ProjectUpper(tu);
            for (int i = 0; i < v.Length; i++) tv[i] = v[i] + eta * state.HV[i];
            double f = Problem.Upper(tu, tv, default, default);
            Problem.Lower(tu, tv, Span<double>.Empty, state.TrialGradV);
            state.Count(evaluations: 1);
            double h = Blas.Dot(state.TrialGradV, state.TrialGradV);
            double merit = f + state.Rho * h;
            double moved = 0;
            for (int i = 0; i < u.Length; i++) moved += (tu[i] - u[i]) * (tu[i] - u[i]);
            for (int i = 0; i < v.Length; i++) moved += (tv[i] - v[i]) * (tv[i] - v[i]);
            // The derived step is the method's own (a global bound): the search only ever enlarges it, so at the derived
            // step the trial is taken as the unadapted method would take it, whatever the merit says at its noise floor.
            bool floor = eta <= state.DerivedStep;
            if (floor || double.IsFinite(merit) && merit <= state.Merit - c1 * moved / eta)
            {
                tu.CopyTo(u, 0);
                tv.CopyTo(v, 0);
                state.AcceptedStep = eta;
                return StepOutcome.Moved;
            }
            state.Count(backtracks: 1);
        }
        return StepOutcome.Failed;
    }

    // Measures the point (g* only where it is reported, see Complete), solves the direction problem, and leaves the
    // projected next u in NextU and d_v in HV.
    private protected override IterationRecord Evaluate(RxgfState state, bool logged)
    {
        int k = state.Iteration;
        if (state.Smoothness.IsLocal && k > 0) state.Smoothness = Problem.EstimateSmoothness(state.U, state.V);
        var smoothness = state.Smoothness;
        var (u, v) = (state.U, state.V);
        double f = Problem.Upper(u, v, state.GradFU, state.GradFV);
        double g = Problem.Lower(u, v, Span<double>.Empty, state.GradGV);
        double h = Blas.Dot(state.GradGV, state.GradGV);
        // ∇h = 2[(∇²_vu g)ᵀ∇_v g; ∇²_vv g·∇_v g].
        _second.LowerMixedTransposeVU(u, v, state.GradGV, state.HU);
        _second.LowerHessianVV(u, v, state.GradGV, state.HV);
        state.Count(evaluations: 1, secondOrder: 2);
        Blas.Scal(2, state.HU);
        Blas.Scal(2, state.HV);
        double hh = Blas.Dot(state.HU, state.HU) + Blas.Dot(state.HV, state.HV);
        double hf = Blas.Dot(state.HU, state.GradFU) + Blas.Dot(state.HV, state.GradFV);
        double violation = h - Options.Epsilon;
        state.Infeasible = hh == 0 && violation > 0;
        double lambda = hh > 0 ? Math.Max(0, (Options.Alpha * violation - hf) / hh) : 0;
        double derived = Options.StepSize ?? Options.StepScale / (smoothness.Upper + lambda * 2 * smoothness.Lower * smoothness.Lower);
        bool backtracking = Options.Backtracking && Options.StepSize is null;
        // The first trial of the line search: twice the last accepted step, or the derived step at the start.
        double eta = backtracking && double.IsFinite(state.AcceptedStep) ? 2 * state.AcceptedStep : derived;
        if (backtracking)
        {
            eta = Math.Max(eta, derived);
            state.DerivedStep = derived;
            // d = −∇(f + λh) with λ held at λ_k: the step is one of gradient descent on that Lagrangian, so the search
            // asks it to decrease (λ is recomputed at the next point).
            state.Rho = lambda;
            state.Merit = f + lambda * h;
        }

        // d = −∇f − λ∇h, kept in the ∇h buffers; u's step is projected and measured as a gradient mapping.
        double sumU = 0;
        for (int i = 0; i < u.Length; i++) state.DirectionU[i] = eta * (-state.GradFU[i] - lambda * state.HU[i]);
        for (int i = 0; i < u.Length; i++) state.NextU[i] = u[i] + state.DirectionU[i];
        Problem.ProjectUpper(state.NextU);
        for (int i = 0; i < u.Length; i++)
        {
            double gi = (u[i] - state.NextU[i]) / eta;
            sumU += gi * gi;
        }
        for (int i = 0; i < v.Length; i++) state.HV[i] = -state.GradFV[i] - lambda * state.HV[i];
        double sumV = Blas.Dot(state.HV, state.HV);
        double kkt = sumU + sumV + Math.Pow(Math.Max(0, violation), 2) + Math.Pow(lambda * violation, 2);

        var record = new IterationRecord(k, 0, lambda, eta, f, g, double.NaN, f + lambda * violation, Math.Sqrt(sumU + sumV),
            Math.Sqrt(sumU), Math.Sqrt(sumV), Math.Sqrt(h), 0, -1, kkt);
        bool converged = Options.KktTolerance is { } tol && kkt <= tol;
        // g* is for the reports only: an exact oracle's solve can cost far more than the step, so it is measured where the
        // record is kept (and where the run may stop); an iterative oracle tracks u every iteration (it is warm-started).
        return logged || converged || state.Infeasible || !ReportingOracle.IsExact ? WithLowerOptimal(state, record) : record;
    }

    // Fills g*(u) ≈ g(u, ω) from the reporting oracle, off the solver's clock.
    private IterationRecord WithLowerOptimal(RxgfState state, in IterationRecord record)
    {
        long paused = SolverState.PauseClock();
        var report = ReportingOracle.Estimate(state.U, state.Omega);
        double gStar = Problem.Lower(state.U, state.Omega, default, default);
        state.ResumeClock(paused);
        return record with { LowerOptimal = gStar, OracleSteps = report.GradientSteps, Rank = report.Rank };
    }

    /// <summary>What a checkpoint keeps of an RXGF run besides the iterates.</summary>
    /// <param name="Smoothness">The smoothness estimate the derived steps use.</param>
    /// <param name="AcceptedStep">Backtracking: the last accepted η (NaN before the first step).</param>
    /// <param name="Rho">Backtracking: the multiplier λ_k the search's Lagrangian holds fixed.</param>
    public sealed record State(Smoothness Smoothness, double AcceptedStep, double Rho);

    private protected override JsonNode? SaveSolverState(RxgfState state) =>
        StateJson.ToNode(new State(state.Smoothness, state.AcceptedStep, state.Rho));

    private protected override void RestoreSolverState(RxgfState state, JsonNode? saved)
    {
        var s = StateJson.FromNode<State>(saved, "the checkpoint's solverState");
        (state.Smoothness, state.AcceptedStep, state.Rho) = (s.Smoothness, s.AcceptedStep, s.Rho);
    }
}
