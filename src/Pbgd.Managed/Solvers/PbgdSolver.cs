using System.Diagnostics;
using Pbgd.LowerLevel;
using Pbgd.Native;
using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// The shared machinery of PBGD-J and PBGD-B (ALGORITHMS.md §3): evaluate L_γ and its gradient with the
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
    public SolverResult Run(ReadOnlySpan<double> u0, ReadOnlySpan<double> v0, CancellationToken cancellationToken = default)
    {
        var state = Init(u0, v0);
        var options = Options;
        var history = new SolverHistory((int)Math.Min(1_000_000L, options.MaxIterations / options.LogEvery + 2));
        StopReason reason;
        var met = ConvergenceCriteria.None;
        int increases = 0, streak = 0, longestStreak = 0;
        double previousPenalized = double.NaN, previousGamma = double.NaN;
        IterationRecord record, lastFinite = default;
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

            if (record.Gamma == previousGamma && record.Penalized > previousPenalized + 1e-12 * Math.Abs(previousPenalized))
            {
                increases++;
                longestStreak = Math.Max(longestStreak, ++streak);
            }
            else streak = 0;
            previousPenalized = record.Penalized;
            previousGamma = record.Gamma;

            met = MetCriteria(record);
            if (met != ConvergenceCriteria.None) { reason = StopReason.Converged; break; }
            if (cancellationToken.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            if (state.Iteration >= options.MaxIterations) { reason = StopReason.MaxIterations; break; }
            if (options.TimeBudget is { } budget && record.Seconds >= budget.TotalSeconds) { reason = StopReason.TimeBudget; break; }

            Array.Copy(state.U, state.PreviousU, state.U.Length);
            Array.Copy(state.V, state.PreviousV, state.V.Length);
            Advance(state);
        }
        if (reason != StopReason.Diverged && (history.Count == 0 || history.Last.Iteration != record.Iteration))
            history.Add(record);
        return new SolverResult(Name, (double[])state.U.Clone(), (double[])state.V.Clone(), (double[])state.Omega.Clone(),
            reason, met, state.Iteration, Stopwatch.GetElapsedTime(state.StartTimestamp).TotalSeconds, history, record,
            state.LowerSteps, increases, longestStreak, state.RankDeficientSeen, Oracle.Name);
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
        double g = Problem.Lower(state.U, state.V, state.GradGU, state.GradGV);
        double gStar = Problem.Lower(state.U, state.Omega, state.GradStarU, state.GradStarV);

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
        var record = new IterationRecord(k, Stopwatch.GetElapsedTime(state.StartTimestamp).TotalSeconds, gamma, alpha,
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
