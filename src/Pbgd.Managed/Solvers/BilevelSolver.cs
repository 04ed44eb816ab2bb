using System.Diagnostics;
using System.Text.Json.Nodes;
using Pbgd.Checkpoints;
using Pbgd.Problems;

namespace Pbgd.Solvers;

/// <summary>
/// The loop every solver shares: measure the current point, record it, test the stopping rules, step, checkpoint.
/// A solver supplies its state, its measurement (<see cref="Evaluate"/>) and its step (<see cref="Advance"/>); the
/// loop owns the history, the counts, the clock, divergence handling, cancellation and checkpoints, so every solver
/// stops, resumes and reports the same way. <c>Init</c>/<c>Step</c> give step-by-step control.
/// </summary>
/// <typeparam name="TState">The solver's own state, with its work buffers.</typeparam>
public abstract class BilevelSolver<TState> : IBilevelSolver where TState : SolverState
{
    private readonly SolverOptions _options;

    private protected BilevelSolver(IBilevelProblem problem, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Problem = problem;
        _options = options;
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public IBilevelProblem Problem { get; }

    /// <inheritdoc />
    SolverOptions IBilevelSolver.Options => _options;

    /// <inheritdoc />
    public string OptionsFingerprint => Solvers.OptionsFingerprint.Of(_options, FingerprintFacts());

    /// <summary>The problem's data fingerprint, or "unknown" when it offers none (<see cref="IFingerprinted"/>).</summary>
    public string DataFingerprint => Problem.GetCapability<IFingerprinted>()?.DataFingerprint ?? "unknown";

    /// <summary>Creates the state for a run from (u⁰, v⁰); u⁰ is projected onto U.</summary>
    /// <param name="u0">Initial upper variable.</param>
    /// <param name="v0">Initial lower variable (also the first ω).</param>
    public TState Init(ReadOnlySpan<double> u0, ReadOnlySpan<double> v0)
    {
        if (u0.Length != Problem.UpperDimension)
            throw new ArgumentException($"u0 has {u0.Length} elements; the problem's u has {Problem.UpperDimension}.", nameof(u0));
        if (v0.Length != Problem.LowerDimension)
            throw new ArgumentException($"v0 has {v0.Length} elements; the problem's v has {Problem.LowerDimension}.", nameof(v0));
        for (int i = 0; i < u0.Length; i++)
            if (!double.IsFinite(u0[i])) throw new ArgumentException($"u0[{i}] is {u0[i]}: starts must be finite.", nameof(u0));
        for (int i = 0; i < v0.Length; i++)
            if (!double.IsFinite(v0[i])) throw new ArgumentException($"v0[{i}] is {v0[i]}: starts must be finite.", nameof(v0));
        var state = CreateState();
        u0.CopyTo(state.U);
        Problem.ProjectUpper(state.U);
        v0.CopyTo(state.V);
        v0.CopyTo(state.Omega);
        OnInit(state);
        state.StartTimestamp = Stopwatch.GetTimestamp();
        return state;
    }

    /// <summary>One iteration: measure the current point, then step from it. Returns the measurement.</summary>
    /// <param name="state">The run's state.</param>
    public IterationRecord Step(TState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var record = Measure(state, logged: true);
        if (TakeStep(state) == StepOutcome.Failed) throw new InvalidOperationException($"{Name}: the line search found no acceptable step from iteration {state.Iteration}.");
        return record;
    }

    /// <inheritdoc />
    public SolverResult Run(ReadOnlySpan<double> u0, ReadOnlySpan<double> v0, CancellationToken cancellationToken = default) =>
        Continue(Init(u0, v0), NewHistory(), cancellationToken);

    /// <inheritdoc />
    public SolverResult Resume(SolverCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        CheckpointValidation.Check(checkpoint, this, _options);
        var state = CreateState();
        checkpoint.U.CopyTo(state.U, 0);
        checkpoint.V.CopyTo(state.V, 0);
        checkpoint.Omega.CopyTo(state.Omega, 0);
        checkpoint.U.CopyTo(state.PreviousU, 0);
        checkpoint.V.CopyTo(state.PreviousV, 0);
        state.Iteration = checkpoint.Iteration;
        state.Counts = checkpoint.Counts;
        state.SecondsBefore = checkpoint.Seconds;
        (state.PenaltyIncreases, state.IncreaseStreak, state.LongestIncreaseStreak) =
            (checkpoint.IncreaseCounters[0], checkpoint.IncreaseCounters[1], checkpoint.IncreaseCounters[2]);
        (state.PreviousPenalized, state.PreviousGamma) = (checkpoint.Previous[0], checkpoint.Previous[1]);
        RestoreSolverState(state, checkpoint.SolverState);
        if (OracleResumable() is { } oracle) oracle.RestoreState(checkpoint.OracleState ?? throw new InvalidDataException("the checkpoint has no oracleState."));
        if (Problem.GetCapability<IResumable>() is { } problem)
            problem.RestoreState(checkpoint.ProblemState ?? throw new InvalidDataException("the checkpoint has no problemState."));
        var history = NewHistory();
        history.Restore(checkpoint.History);
        state.StartTimestamp = Stopwatch.GetTimestamp();
        return Continue(state, history, cancellationToken);
    }

    /// <summary>A checkpoint of the state between iterations (the point the next iteration measures).</summary>
    /// <param name="state">The run's state.</param>
    /// <param name="history">The history so far.</param>
    public SolverCheckpoint Snapshot(TState state, SolverHistory history)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(history);
        return new SolverCheckpoint
        {
            Algorithm = Name, Iteration = state.Iteration, U = (double[])state.U.Clone(), V = (double[])state.V.Clone(),
            Omega = (double[])state.Omega.Clone(), SolverState = SaveSolverState(state), OracleState = OracleResumable()?.SaveState(),
            ProblemState = Problem.GetCapability<IResumable>()?.SaveState(), Counts = state.Counts, Seconds = state.Seconds,
            IncreaseCounters = [state.PenaltyIncreases, state.IncreaseStreak, state.LongestIncreaseStreak],
            Previous = [state.PreviousPenalized, state.PreviousGamma],
            History = history.Records.ToArray(), OptionsFingerprint = OptionsFingerprint, DataFingerprint = DataFingerprint,
        };
    }

    // ---- what each solver supplies ----

    /// <summary>A fresh state with the solver's buffers.</summary>
    private protected abstract TState CreateState();

    /// <summary>Called by <see cref="Init"/> after the start is in place (e.g. smoothness estimates).</summary>
    private protected virtual void OnInit(TState state) { }

    /// <summary>Measures the current point and prepares the step from it. <paramref name="logged"/> says the record
    /// will be kept; a solver whose full measurement is expensive may measure less otherwise (NaN fields).</summary>
    private protected abstract IterationRecord Evaluate(TState state, bool logged);

    /// <summary>Fills in what <see cref="Evaluate"/> skipped at an unlogged point (the last point of a run is always
    /// recorded complete).</summary>
    private protected virtual IterationRecord Complete(TState state, in IterationRecord record) => record;

    /// <summary>Whether a record has every value the history and the observer expect.</summary>
    private protected virtual bool IsComplete(in IterationRecord record) => record.IsMeasured;

    /// <summary>Whether the point just measured is not finite (the step into it blew up).</summary>
    private protected virtual bool IsDiverged(in IterationRecord record) => !record.IsFinite;

    /// <summary>Takes the step prepared by the last <see cref="Evaluate"/> (the loop counts it and moves the counter).
    /// <see cref="StepOutcome.Failed"/> when no acceptable step was found (a failed line search): the loop then restores
    /// the measured point and stops with <see cref="StopReason.LineSearchFailed"/>; <see cref="StepOutcome.Stationary"/>
    /// when the point is exactly stationary (no step can decrease the objective): the run stops as converged.</summary>
    private protected abstract StepOutcome Advance(TState state);

    /// <summary>The tolerances the record meets (all configured ones, or none).</summary>
    private protected virtual ConvergenceCriteria MetCriteria(TState state, in IterationRecord record) => ConvergenceCriteria.None;

    /// <summary>A stop of the solver's own (e.g. RXGF's infeasible direction problem), or null. A stop that returns
    /// another point than <paramref name="record"/>'s puts it in the state and its record in <c>state.Last</c>.</summary>
    private protected virtual StopReason? OwnStop(TState state, in IterationRecord record) => null;

    /// <summary>The solver's own state for a checkpoint (a typed record through <see cref="StateJson"/>).</summary>
    private protected virtual JsonNode? SaveSolverState(TState state) => null;

    /// <summary>Restores what <see cref="SaveSolverState"/> wrote; throws <see cref="InvalidDataException"/> naming the field.</summary>
    private protected virtual void RestoreSolverState(TState state, JsonNode? saved) { }

    /// <summary>The oracle whose state a checkpoint carries, if any.</summary>
    private protected virtual IResumable? OracleResumable() => null;

    /// <summary>What besides the options record shapes the iterates (the solver's name, the oracle, the dimensions).</summary>
    private protected virtual object[] FingerprintFacts() =>
        // u's length over all processes (a data-parallel run's local u is one process's share).
        [Name, Problem.GetCapability<Pbgd.Distributed.RowShard>()?.GlobalRows ?? Problem.UpperDimension, Problem.LowerDimension];

    /// <summary>The lower-level estimate's description for the result.</summary>
    private protected abstract string OracleName { get; }

    /// <summary>Whether the lower-level estimate is an exact solve.</summary>
    private protected abstract bool OracleIsExact { get; }

    /// <summary>Whether an exact solve met a rank-deficient design so far.</summary>
    private protected virtual bool RankDeficientSeen(TState state) => false;

    /// <summary>The result, with the solver's own extras (override to return a derived type).</summary>
    private protected virtual SolverResult CreateResult(SolverResultCore core, TState state) => new(core);

    // ---- the loop ----

    private IterationRecord Measure(TState state, bool logged)
    {
        var record = Evaluate(state, logged);
        record = record with { Iteration = state.Iteration, Seconds = state.Seconds, Counts = state.Counts };
        state.Last = record;
        state.Evaluated = true;
        return record;
    }

    private StepOutcome TakeStep(TState state)
    {
        if (!state.Evaluated) throw new InvalidOperationException("a point must be measured before stepping from it.");
        Array.Copy(state.U, state.PreviousU, state.U.Length);
        Array.Copy(state.V, state.PreviousV, state.V.Length);
        Array.Copy(state.Omega, state.PreviousOmega, state.Omega.Length);
        var outcome = Advance(state);
        if (outcome != StepOutcome.Moved)
        {
            // Trial points may have overwritten the iterates: back to the measured point, which stays the current one.
            state.PreviousU.CopyTo(state.U, 0);
            state.PreviousV.CopyTo(state.V, 0);
            state.PreviousOmega.CopyTo(state.Omega, 0);
            return outcome;
        }
        state.Evaluated = false;
        state.Iteration++;
        state.Counts = state.Counts with { UpperSteps = state.Counts.UpperSteps + 1 };
        return outcome;
    }

    private SolverHistory NewHistory() => new(_options.HistoryCapacity, _options.LogEvery, (long)_options.MaxIterations / _options.LogEvery + 2);

    private SolverResult Continue(TState state, SolverHistory history, CancellationToken cancellationToken)
    {
        var (reason, met, record) = Iterate(state, history, cancellationToken);
        return Finish(state, history, reason, met, record);
    }

    // The loop proper: measure, log, test the stops, step. Each exit returns why it stopped, with the criteria met and
    // the record of the point the run ends at (not yet completed when the stop needed no more of it).
    private (StopReason Reason, ConvergenceCriteria Met, IterationRecord Record) Iterate(
        TState state, SolverHistory history, CancellationToken cancellationToken)
    {
        var options = _options;
        IterationRecord record, lastComplete = history.Count > 0 ? history.Last : default;
        long lastCheckpoint = Stopwatch.GetTimestamp();
        while (true)
        {
            bool logged = state.Iteration % options.LogEvery == 0;
            record = Measure(state, logged);
            if (IsDiverged(record))
            {
                if (state.Iteration > 0)
                {
                    // Return the last finite point, the one this step started from, measured completely.
                    state.PreviousU.CopyTo(state.U, 0);
                    state.PreviousV.CopyTo(state.V, 0);
                    state.Iteration--;
                    record = lastComplete.Iteration == state.Iteration && IsComplete(lastComplete)
                        ? lastComplete
                        : Complete(state, Measure(state, logged: true));
                }
                return (StopReason.Diverged, ConvergenceCriteria.None, record);
            }
            bool complete = IsComplete(record);
            if (complete) lastComplete = record;
            if (logged) history.Add(record);
            if (complete)
            {
                if (options.Observer is { } observer)
                {
                    // The observer's work (progress, test metrics, held-out losses) is the caller's, not the method's.
                    long paused = SolverState.PauseClock();
                    observer(record, state.U, state.V);
                    state.ResumeClock(paused);
                }
                TrackIncreases(state, record);
            }

            var met = MetCriteria(state, record);
            if (met != ConvergenceCriteria.None) return (StopReason.Converged, met, record);
            // A solver's own stop may return another point than the one measured (it then says so in state.Last).
            if (OwnStop(state, record) is { } own) return (own, met, state.Last);
            // A clock or a signal is one process's: over several, the processes stop together (Agree).
            var (cancelled, overBudget) = Agree(cancellationToken.IsCancellationRequested,
                options.TimeBudget is { } budget && state.Seconds >= budget.TotalSeconds);
            if (cancelled) return (StopReason.Cancelled, met, record);
            if (state.Iteration >= options.MaxIterations) return (StopReason.MaxIterations, met, record);
            if (overBudget) return (StopReason.TimeBudget, met, record);

            var outcome = TakeStep(state);
            if (outcome == StepOutcome.Failed) return (StopReason.LineSearchFailed, met, record);
            if (outcome == StepOutcome.Stationary) return (StopReason.Converged, ConvergenceCriteria.Gradient, record);
            if (options.Checkpoint is { } sink
                && (options.CheckpointEvery > 0 && state.Iteration % options.CheckpointEvery == 0
                    || options.CheckpointInterval is { } interval && Agree(Stopwatch.GetElapsedTime(lastCheckpoint) >= interval, false).First))
            {
                sink(Snapshot(state, history));
                lastCheckpoint = Stopwatch.GetTimestamp();
            }
        }
    }

    // After the loop: complete the final record, write the last checkpoint, and build the result.
    private SolverResult Finish(TState state, SolverHistory history, StopReason reason, ConvergenceCriteria met, IterationRecord record)
    {
        var options = _options;
        if (!IsComplete(record)) record = Complete(state, record) with { Seconds = state.Seconds, Counts = state.Counts };
        var (u, v, omega, seconds) = ((double[])state.U.Clone(), (double[])state.V.Clone(), (double[])state.Omega.Clone(), state.Seconds);
        bool rankDeficient = RankDeficientSeen(state);
        if (options.Checkpoint is { } final)
        {
            // An interrupted run's last checkpoint holds the loop's state: the step the uninterrupted run takes next is
            // taken, and the history is what that run would have logged, so a resume repeats it to the bit. A finished
            // run's checkpoint says so instead.
            bool resumable = reason is StopReason.Cancelled or StopReason.TimeBudget;
            if (resumable && TakeStep(state) == StepOutcome.Moved) final(Snapshot(state, history));
            else
            {
                AddFinal(history, record);
                final(Snapshot(state, history) with { Stopped = resumable ? StopReason.LineSearchFailed : reason });
            }
        }
        AddFinal(history, record);
        var core = new SolverResultCore(Name, u, v, omega, reason, met, seconds, history, record, OracleName,
            state.PenaltyIncreases, state.LongestIncreaseStreak, rankDeficient, OracleIsExact);
        return CreateResult(core, state);
    }

    // Decisions from a process's own clock or signals, taken by all processes together when the problem's rows are
    // spread over several (a RowShard capability): each flag holds if it holds on some process. One small exchange.
    private (bool First, bool Second) Agree(bool first, bool second)
    {
        if (Problem.GetCapability<Pbgd.Distributed.RowShard>() is not { IsDistributed: true } shard) return (first, second);
        Span<double> flags = stackalloc double[2] { first ? 1 : 0, second ? 1 : 0 };
        shard.Communicator.Allreduce(flags, Pbgd.Distributed.ReductionOperation.Max);
        return (flags[0] == 1, flags[1] == 1);
    }

    // The returned point is always the history's last record, measured completely.
    private static void AddFinal(SolverHistory history, in IterationRecord record)
    {
        if (history.Count == 0 || history.Last.Iteration != record.Iteration) history.Add(record);
        else history.ReplaceLast(record);
    }

    // L_γ rising while γ stays fixed is the sign of a step that is too large (or of oscillation).
    private static void TrackIncreases(TState state, in IterationRecord record)
    {
        if (record.Gamma == state.PreviousGamma && record.Penalized > state.PreviousPenalized + 1e-12 * Math.Abs(state.PreviousPenalized))
        {
            state.PenaltyIncreases++;
            state.LongestIncreaseStreak = Math.Max(state.LongestIncreaseStreak, ++state.IncreaseStreak);
        }
        else state.IncreaseStreak = 0;
        state.PreviousPenalized = record.Penalized;
        state.PreviousGamma = record.Gamma;
    }
}

/// <summary>What a solver's step did.</summary>
internal enum StepOutcome
{
    /// <summary>The iterate moved (the usual case).</summary>
    Moved,
    /// <summary>The point is exactly stationary: no step can decrease the objective.</summary>
    Stationary,
    /// <summary>No acceptable step was found.</summary>
    Failed,
}
