using System.Text.Json.Nodes;
using Pbgd.Checkpoints;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;

namespace Pbgd.Solvers.Baselines;

/// <summary>
/// What the F²SA and BOME baselines share: each iteration updates (u, v) and an auxiliary lower-level iterate z; for
/// comparison with PBGD each logged iteration is also measured — f, g, and g*(u) from a reporting oracle (exact where
/// the problem has one) whose work is not the method's: it is neither counted nor timed.
/// </summary>
public abstract class BaselineSolver : BilevelSolver<BaselineState>
{
    private protected BaselineSolver(IBilevelProblem problem, ILowerLevelOracle reportingOracle, BaselineOptions? options)
        : base(problem, options ?? new BaselineOptions())
    {
        ArgumentNullException.ThrowIfNull(reportingOracle);
        ReportingOracle = reportingOracle;
        Options = options ?? new BaselineOptions();
    }

    /// <summary>Measures g*(u) for the reports only.</summary>
    public ILowerLevelOracle ReportingOracle { get; }

    /// <summary>The options.</summary>
    public BaselineOptions Options { get; }

    private protected override string OracleName => ReportingOracle.Name;

    private protected override bool OracleIsExact => ReportingOracle.IsExact;

    private protected override object[] FingerprintFacts() => [.. base.FingerprintFacts(), ReportingOracle.Name];

    private protected override BaselineState CreateState() => new(Problem.UpperDimension, Problem.LowerDimension);

    private protected override void OnInit(BaselineState state)
    {
        state.V.CopyTo(state.Z, 0);
        state.Multiplier = InitialMultiplier;
    }

    private protected override IResumable? OracleResumable() => ReportingOracle as IResumable;

    /// <summary>The multiplier reported at the start (before any step).</summary>
    private protected abstract double InitialMultiplier { get; }

    // Unmeasured (unlogged) points carry the step's norm only: diverged when that is not finite.
    private protected override bool IsDiverged(in IterationRecord record) =>
        record.IsMeasured ? !record.IsFinite : !double.IsFinite(record.GradientNorm);

    private protected override IterationRecord Evaluate(BaselineState state, bool logged)
    {
        // The reports (f, g and g* from the reporting oracle) are measured at logged iterations only: an exact oracle's
        // LAPACK solve can cost far more than the method's step. An iterative oracle must still track u every iteration
        // (its ω is warm-started). Either way the time is not the method's.
        var record = new IterationRecord(state.Iteration, 0, state.Multiplier, state.Step, double.NaN, double.NaN, double.NaN, double.NaN,
            state.StepNorm, double.NaN, double.NaN, double.NaN, 0, -1);
        if (!logged && ReportingOracle.IsExact) return record;
        long paused = SolverState.PauseClock();
        var report = ReportingOracle.Estimate(state.U, state.Omega);
        if (logged) record = Measured(state, record, report);
        state.ResumeClock(paused);
        return record;
    }

    private protected override IterationRecord Complete(BaselineState state, in IterationRecord record)
    {
        long paused = SolverState.PauseClock();
        // An iterative reporting oracle already tracked this u in Evaluate; asking it again would change its ω.
        var report = ReportingOracle.IsExact ? ReportingOracle.Estimate(state.U, state.Omega) : new OracleReport(0, -1, true);
        var measured = Measured(state, record, report);
        state.ResumeClock(paused);
        return measured;
    }

    // f, g and g(u, ω) at the current point, for the record.
    private IterationRecord Measured(BaselineState state, in IterationRecord record, OracleReport report)
    {
        double f = Problem.Upper(state.U, state.V, default, default);
        double g = Problem.Lower(state.U, state.V, default, default);
        double gStar = Problem.Lower(state.U, state.Omega, default, default);
        return record with { Upper = f, Lower = g, LowerOptimal = gStar, Penalized = f + record.Gamma * (g - gStar), OracleSteps = state.Counts.InnerSteps > int.MaxValue ? int.MaxValue : (int)state.Counts.InnerSteps, Rank = report.Rank };
    }

    /// <summary>
    /// The update both baselines end with, from gradients already evaluated at (u, v) and the auxiliary iterate:
    /// d_u = ∇_u f + w(∇_u g(u, v) − ∇_u g(u, aux)), d_v = ∇_v f + w∇_v g(u, v);
    /// u ← Proj(u − upperStep·d_u), v ← v − lowerStep·d_v. Returns ‖(d_u, d_v)‖.
    /// </summary>
    private protected double TakeStep(BaselineState state, double weight, double upperStep, double lowerStep)
    {
        double sum = 0;
        var u = state.U;
        for (int i = 0; i < u.Length; i++)
        {
            double d = state.GradFU[i] + weight * (state.GradGU[i] - state.GradZU[i]);
            sum += d * d;
            u[i] -= upperStep * d;
        }
        Problem.ProjectUpper(u);
        Blas.Axpy(weight, state.GradGV, state.GradFV);
        sum += Math.Pow(Blas.Nrm2(state.GradFV), 2);
        Blas.Axpy(-lowerStep, state.GradFV, state.V);
        return Math.Sqrt(sum);
    }

    /// <summary>T gradient steps on g(u, ·) from the auxiliary iterate.</summary>
    private protected void InnerSteps(BaselineState state, Span<double> iterate)
    {
        for (int t = 0; t < Options.InnerSteps; t++)
        {
            Problem.Lower(state.U, iterate, Span<double>.Empty, state.GradZV);
            Blas.Axpy(-Options.InnerStep, state.GradZV, iterate);
        }
        state.Count(innerSteps: Options.InnerSteps);
    }

    /// <summary>What a checkpoint keeps of a baseline run besides the iterates.</summary>
    /// <param name="Auxiliary">The auxiliary lower-level iterate z.</param>
    /// <param name="Multiplier">The multiplier of the last step.</param>
    /// <param name="Step">The step size of the last step.</param>
    /// <param name="StepNorm">‖(d_u, d_v)‖ of the last step.</param>
    public sealed record State(double[] Auxiliary, double Multiplier, double Step, double StepNorm);

    private protected override JsonNode? SaveSolverState(BaselineState state) =>
        StateJson.ToNode(new State((double[])state.Z.Clone(), state.Multiplier, state.Step, state.StepNorm));

    private protected override void RestoreSolverState(BaselineState state, JsonNode? saved)
    {
        var s = StateJson.FromNode<State>(saved, "the checkpoint's solverState");
        StateJson.Require(s.Auxiliary, state.Z.Length, "the checkpoint's solverState.auxiliary").CopyTo(state.Z, 0);
        (state.Multiplier, state.Step, state.StepNorm) = (s.Multiplier, s.Step, s.StepNorm);
    }
}
