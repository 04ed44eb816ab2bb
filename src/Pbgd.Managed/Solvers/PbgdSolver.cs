using System.Diagnostics;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// The shared machinery of PBGD-J and PBGD-B (docs/algorithms.md §3): evaluate L_γ and its gradient with the
/// oracle's ω, log, test the stopping rules, step. <c>Init</c>/<c>Step</c> give step-by-step control;
/// <see cref="Run"/> does the whole loop.
/// </summary>
public abstract class PbgdSolver
{
    private protected PbgdSolver(IBilevelProblem problem, ILowerLevelOracle oracle, PbgdOptions? options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(oracle);
        Problem = problem;
        Oracle = oracle;
        Options = options ?? new PbgdOptions();
        Options.Validate();
    }

    /// <summary>"PBGD-J" or "PBGD-B".</summary>
    public abstract string Name { get; }

    /// <summary>The problem.</summary>
    public IBilevelProblem Problem { get; }

    /// <summary>The lower-level oracle.</summary>
    public ILowerLevelOracle Oracle { get; }

    /// <summary>The options.</summary>
    public PbgdOptions Options { get; }

    /// <summary>Creates the state for a run from (u⁰, v⁰); u⁰ is projected onto U.</summary>
    /// <param name="u0">Initial upper variable.</param>
    /// <param name="v0">Initial lower variable (also the oracle's first ω).</param>
    public PbgdState Init(ReadOnlySpan<double> u0, ReadOnlySpan<double> v0)
    {
        if (u0.Length != Problem.UpperDimension)
            throw new ArgumentException($"u0 has {u0.Length} elements; the problem's u has {Problem.UpperDimension}.", nameof(u0));
        if (v0.Length != Problem.LowerDimension)
            throw new ArgumentException($"v0 has {v0.Length} elements; the problem's v has {Problem.LowerDimension}.", nameof(v0));
        for (int i = 0; i < u0.Length; i++)
            if (!double.IsFinite(u0[i])) throw new ArgumentException($"u0[{i}] is {u0[i]}: starts must be finite.", nameof(u0));
        for (int i = 0; i < v0.Length; i++)
            if (!double.IsFinite(v0[i])) throw new ArgumentException($"v0[{i}] is {v0[i]}: starts must be finite.", nameof(v0));
        var state = new PbgdState(u0.Length, v0.Length);
        u0.CopyTo(state.U);
        Problem.ProjectUpper(state.U);
        v0.CopyTo(state.V);
        v0.CopyTo(state.Omega);
        state.Smoothness = Problem.EstimateSmoothness(state.U, state.V);
        state.StartTimestamp = Stopwatch.GetTimestamp();
        return state;
    }

    /// <summary>One iteration: evaluate at the current point, then step. Returns the evaluation's record.</summary>
    /// <param name="state">The run's state.</param>
    public IterationRecord Step(PbgdState state)
    {
        var record = Evaluate(state);
        Advance(state);
        return record;
    }

    /// <summary>Runs from (u⁰, v⁰) until a stopping rule fires.</summary>
    /// <param name="u0">Initial upper variable.</param>
    /// <param name="v0">Initial lower variable.</param>
    /// <param name="cancellationToken">Stops the run cleanly (reason <see cref="StopReason.Cancelled"/>).</param>
    public SolverResult Run(ReadOnlySpan<double> u0, ReadOnlySpan<double> v0, CancellationToken cancellationToken = default) =>
        Continue(Init(u0, v0), NewHistory(), cancellationToken);

    /// <summary>
    /// Continues a run from a checkpoint. The continued run's iterates are bit-identical to an uninterrupted run's
    /// (same machine, thread count and MKL reproducibility mode).
    /// </summary>
    /// <param name="checkpoint">A checkpoint of this solver's options on this problem's data.</param>
    /// <param name="cancellationToken">Stops the run cleanly.</param>
    /// <exception cref="ArgumentException">The checkpoint comes from other options, another algorithm or other data.</exception>
    public SolverResult Resume(PbgdCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Algorithm != Name)
            throw new ArgumentException($"the checkpoint is of {checkpoint.Algorithm}, this solver is {Name}.", nameof(checkpoint));
        if (checkpoint.OptionsFingerprint != OptionsFingerprint)
            throw new ArgumentException("the checkpoint was written with other solver options (schedule, steps, limits, tolerances or oracle); resume with the same options.", nameof(checkpoint));
        if (checkpoint.DataFingerprint != DataFingerprint)
            throw new ArgumentException($"the checkpoint was written for other data or model options (the fingerprint covers the data and the problem's model options — for hyper-cleaning the loss, ridge or regularisation, radius, exact-solver chain and its tolerances, and precision; fingerprint {checkpoint.DataFingerprint[..Math.Min(12, checkpoint.DataFingerprint.Length)]}…, this problem's is {DataFingerprint[..Math.Min(12, DataFingerprint.Length)]}…).", nameof(checkpoint));
        if (checkpoint.U.Length != Problem.UpperDimension || checkpoint.V.Length != Problem.LowerDimension || checkpoint.Omega.Length != Problem.LowerDimension)
            throw new ArgumentException("the checkpoint's iterates do not have this problem's dimensions.", nameof(checkpoint));
        var state = new PbgdState(Problem.UpperDimension, Problem.LowerDimension);
        checkpoint.U.CopyTo(state.U, 0);
        checkpoint.V.CopyTo(state.V, 0);
        checkpoint.Omega.CopyTo(state.Omega, 0);
        checkpoint.U.CopyTo(state.PreviousU, 0);
        checkpoint.V.CopyTo(state.PreviousV, 0);
        state.Iteration = checkpoint.Iteration;
        state.Smoothness = checkpoint.Smoothness;
        state.LowerSteps = checkpoint.LowerSteps;
        state.RankDeficientSeen = checkpoint.RankDeficientSeen;
        (state.PenaltyIncreases, state.IncreaseStreak, state.LongestIncreaseStreak) =
            (checkpoint.IncreaseCounters[0], checkpoint.IncreaseCounters[1], checkpoint.IncreaseCounters[2]);
        (state.PreviousPenalized, state.PreviousGamma) = (checkpoint.Previous[0], checkpoint.Previous[1]);
        state.SecondsBefore = checkpoint.Seconds;
        if (Oracle is Checkpoints.IResumable resumable && checkpoint.OracleState is { } oracleState) resumable.RestoreState(oracleState);
        if (Problem is Checkpoints.IResumable resumableProblem && checkpoint.ProblemState is { } problemState) resumableProblem.RestoreState(problemState);
        var history = NewHistory();
        foreach (var r in checkpoint.History) history.Add(r);
        state.StartTimestamp = Stopwatch.GetTimestamp();
        return Continue(state, history, cancellationToken);
    }

    /// <summary>A fingerprint of everything in the options and oracle that shapes the iterates.</summary>
    public string OptionsFingerprint => Checkpoints.Fingerprint.Of(string.Join("|", Name, Oracle.Name, Options.Penalty, Options.StepSize,
        Options.StepScale, Options.ScaleStepByInverseGamma, Options.MaxIterations, Options.TimeBudget, Options.GradientTolerance,
        Options.LowerGapTolerance, Options.PenalizedReference, Options.PenalizedGapTolerance, Options.ExactLowerStep,
        Options.LowerStepIterations, Options.LogEvery, Problem.UpperDimension, Problem.LowerDimension));

    /// <summary>The problem's data fingerprint, or "unknown" when it does not implement <see cref="Checkpoints.IFingerprinted"/>.</summary>
    public string DataFingerprint => Problem is Checkpoints.IFingerprinted f ? f.DataFingerprint : "unknown";

    /// <summary>A checkpoint of the state (between iterations).</summary>
    /// <param name="state">The run's state.</param>
    /// <param name="history">The history so far.</param>
    public PbgdCheckpoint Snapshot(PbgdState state, SolverHistory history)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(history);
        return new PbgdCheckpoint
        {
            Algorithm = Name, Iteration = state.Iteration, U = (double[])state.U.Clone(), V = (double[])state.V.Clone(),
            Omega = (double[])state.Omega.Clone(),
            OracleState = (Oracle as Checkpoints.IResumable)?.SaveState(),
            ProblemState = (Problem as Checkpoints.IResumable)?.SaveState(),
            Smoothness = state.Smoothness, Seconds = state.Seconds, LowerSteps = state.LowerSteps, RankDeficientSeen = state.RankDeficientSeen,
            IncreaseCounters = [state.PenaltyIncreases, state.IncreaseStreak, state.LongestIncreaseStreak],
            Previous = [state.PreviousPenalized, state.PreviousGamma],
            History = history.Records.ToArray(), OptionsFingerprint = OptionsFingerprint, DataFingerprint = DataFingerprint,
        };
    }

    private SolverHistory NewHistory() => new((int)Math.Min(1_000_000L, Options.MaxIterations / Options.LogEvery + 2));

    private SolverResult Continue(PbgdState state, SolverHistory history, CancellationToken cancellationToken)
    {
        var options = Options;
        StopReason reason;
        var met = ConvergenceCriteria.None;
        IterationRecord record, lastFinite = history.Count > 0 ? history.Last : default;
        long lastCheckpoint = Stopwatch.GetTimestamp();
        while (true)
        {
            record = Evaluate(state);
            bool logged = state.Iteration % options.LogEvery == 0;
            if (!record.IsFinite)
            {
                // The step into this point blew up: return the last finite state (the one we stepped from).
                if (state.Iteration > 0)
                {
                    state.PreviousU.CopyTo(state.U, 0);
                    state.PreviousV.CopyTo(state.V, 0);
                    state.Iteration--;
                    record = lastFinite;
                }
                reason = StopReason.Diverged;
                break;
            }
            lastFinite = record;
            if (logged) history.Add(record);
            options.Observer?.Invoke(record, state.U, state.V);

            if (record.Gamma == state.PreviousGamma && record.Penalized > state.PreviousPenalized + 1e-12 * Math.Abs(state.PreviousPenalized))
            {
                state.PenaltyIncreases++;
                state.LongestIncreaseStreak = Math.Max(state.LongestIncreaseStreak, ++state.IncreaseStreak);
            }
            else state.IncreaseStreak = 0;
            state.PreviousPenalized = record.Penalized;
            state.PreviousGamma = record.Gamma;

            met = MetCriteria(record);
            if (met != ConvergenceCriteria.None) { reason = StopReason.Converged; break; }
            if (cancellationToken.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            if (state.Iteration >= options.MaxIterations) { reason = StopReason.MaxIterations; break; }
            if (options.TimeBudget is { } budget && state.Seconds >= budget.TotalSeconds) { reason = StopReason.TimeBudget; break; }

            Array.Copy(state.U, state.PreviousU, state.U.Length);
            Array.Copy(state.V, state.PreviousV, state.V.Length);
            Advance(state);
            if (options.Checkpoint is { } sink
                && (options.CheckpointEvery > 0 && state.Iteration % options.CheckpointEvery == 0
                    || options.CheckpointInterval is { } interval && Stopwatch.GetElapsedTime(lastCheckpoint) >= interval))
            {
                sink(Snapshot(state, history));
                lastCheckpoint = Stopwatch.GetTimestamp();
            }
        }
        if (reason != StopReason.Diverged && (history.Count == 0 || history.Last.Iteration != record.Iteration))
            history.Add(record);
        options.Checkpoint?.Invoke(Snapshot(state, history));
        return new SolverResult(Name, (double[])state.U.Clone(), (double[])state.V.Clone(), (double[])state.Omega.Clone(),
            reason, met, state.Iteration, state.Seconds, history, record,
            state.LowerSteps, state.PenaltyIncreases, state.LongestIncreaseStreak, state.RankDeficientSeen, Oracle.Name);
    }

    /// <summary>
    /// Measures L_γ at the point the next step starts from and prepares that step: PBGD-B first takes its v-step.
    /// Fills d_u = ∇_u f + γ(∇_u g(u,v) − ∇_u g(u,ω)), d_v = ∇_v f + γ∇_v g(u,v) and the projected u-step.
    /// </summary>
    /// <param name="state">The run's state.</param>
    public IterationRecord Evaluate(PbgdState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        int k = state.Iteration;
        double gamma = Options.Penalty.Gamma(k);
        if (state.Smoothness.IsLocal) state.Smoothness = Problem.EstimateSmoothness(state.U, state.V);
        double alpha = StepSize(state.Smoothness, gamma);

        PrepareLower(state, gamma, alpha);
        var report = Oracle.Estimate(state.U, state.Omega);
        state.LowerSteps += report.GradientSteps;
        if (!report.FullRank) state.RankDeficientSeen = true;

        double f = Problem.Upper(state.U, state.V, state.GradFU, state.GradFV);
        // g(u, v) and g(u, ω) share u and the data: a problem that can do both in one pass over it says so.
        var (g, gStar) = Problem is ILowerLevelPair pair
            ? pair.LowerPair(state.U, state.V, state.Omega, state.GradGU, state.GradGV, state.GradStarU, state.GradStarV)
            : (Problem.Lower(state.U, state.V, state.GradGU, state.GradGV), Problem.Lower(state.U, state.Omega, state.GradStarU, state.GradStarV));

        var du = state.DirectionU;
        var dv = state.DirectionV;
        for (int i = 0; i < du.Length; i++)
            du[i] = state.GradFU[i] + gamma * (state.GradGU[i] - state.GradStarU[i]);
        for (int i = 0; i < dv.Length; i++)
            dv[i] = state.GradFV[i] + gamma * state.GradGV[i];

        // Gradient mapping G_u = (u − Proj_U(u − α d_u))/α: the stationarity measure of projected gradient
        // descent; its projected point is exactly the next u, so the u-step reuses it.
        var next = state.NextU;
        for (int i = 0; i < next.Length; i++) next[i] = state.U[i] - alpha * du[i];
        Problem.ProjectUpper(next);
        double sumU = 0;
        for (int i = 0; i < next.Length; i++)
        {
            double gi = (state.U[i] - next[i]) / alpha;
            sumU += gi * gi;
        }
        double normU = Math.Sqrt(sumU);
        double normV = Blas.Nrm2(dv);
        var record = new IterationRecord(k, state.Seconds, gamma, alpha,
            f, g, gStar, f + gamma * (g - gStar), Math.Sqrt(sumU + normV * normV), normU, normV,
            Blas.Nrm2(state.GradStarV), report.GradientSteps, report.Rank);
        state.Last = record;
        state.Evaluated = true;
        return record;
    }

    /// <summary>Takes the step prepared by the last <see cref="Evaluate"/>.</summary>
    /// <param name="state">The run's state.</param>
    public void Advance(PbgdState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.Evaluated) throw new InvalidOperationException("Evaluate must precede Advance.");
        Array.Copy(state.NextU, state.U, state.U.Length);
        AdvanceLower(state, state.Last.StepSize);
        state.Evaluated = false;
        state.Iteration++;
    }

    /// <summary>PBGD-B's v-step before the evaluation; nothing for PBGD-J.</summary>
    private protected abstract void PrepareLower(PbgdState state, double gamma, double alpha);

    /// <summary>PBGD-J's simultaneous v-step; nothing for PBGD-B.</summary>
    private protected abstract void AdvanceLower(PbgdState state, double alpha);

    /// <summary>α_k: fixed, or c/(ℓ_f + γℓ_g); times min(1, 1/γ) under V-PBGD's rule.</summary>
    private protected virtual double StepSize(Smoothness smoothness, double gamma)
    {
        double alpha = Options.StepSize ?? Options.StepScale / (smoothness.Upper + gamma * smoothness.Lower);
        if (Options.ScaleStepByInverseGamma) alpha *= Math.Min(1.0, 1.0 / gamma);
        return alpha;
    }

    private ConvergenceCriteria MetCriteria(in IterationRecord r)
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
}
