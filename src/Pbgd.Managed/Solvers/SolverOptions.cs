using System.Text.Json.Serialization;
using Pbgd.Validation;

namespace Pbgd.Solvers;

/// <summary>
/// What every solver's options share: limits, logging, the per-iteration observer and the checkpoint sink. Each solver
/// derives its own record (<see cref="PbgdOptions"/>, <see cref="RxgfOptions"/>, <see cref="Baselines.BaselineOptions"/>)
/// with the rules of its method. The options fingerprint a checkpoint is checked against is the JSON of the whole record
/// (<see cref="OptionsFingerprint"/>), so a new option is covered without anyone remembering to add it; members that do
/// not shape the iterates are marked <see cref="NotFingerprintedAttribute"/>.
/// </summary>
public abstract record SolverOptions
{
    /// <summary>Iteration limit (accepted upper steps).</summary>
    public virtual int MaxIterations { get; init; } = 10_000;

    /// <summary>Wall-clock budget; null for none.</summary>
    public TimeSpan? TimeBudget { get; init; }

    /// <summary>Record every k-th iteration in the history (the first and last are always recorded).</summary>
    public int LogEvery { get; init; } = 1;

    /// <summary>The most records the history keeps: past it, older records are thinned to an even stride while the newest
    /// quarter stays whole (<see cref="SolverHistory"/>), so a long run's history stays bounded. It shapes the history, not
    /// the iterates.</summary>
    [NotFingerprinted]
    public int HistoryCapacity { get; init; } = 10_000;

    /// <summary>Called after every iteration whose record is measured (every iteration for PBGD; the logged ones for
    /// F²SA, BOME and RXGF): progress display, extra metrics. Its time is kept off the solver's clock.</summary>
    [JsonIgnore, NotFingerprinted]
    public IterationObserver? Observer { get; init; }

    /// <summary>Hand a checkpoint to <see cref="Checkpoint"/> every k iterations (0: never, except at the stop).</summary>
    [NotFingerprinted]
    public int CheckpointEvery { get; init; }

    /// <summary>Also hand one over when this much time has passed since the last (null: no time rule).</summary>
    [NotFingerprinted]
    public TimeSpan? CheckpointInterval { get; init; }

    /// <summary>Receives checkpoints (periodic, and the final state at the stop); writing them is up to it.</summary>
    [JsonIgnore, NotFingerprinted]
    public Action<SolverCheckpoint>? Checkpoint { get; init; }

    /// <summary>Checks every value; throws an <see cref="ArgumentException"/> whose ParamName is the offending option.</summary>
    public virtual void Validate()
    {
        if (MaxIterations < 0) throw Invalid(nameof(MaxIterations), $"the iteration limit must be ≥ 0, not {MaxIterations}.");
        if (TimeBudget is { } t && t <= TimeSpan.Zero) throw Invalid(nameof(TimeBudget), $"the time budget must be positive, not {t.TotalSeconds} s.");
        if (LogEvery < 1) throw Invalid(nameof(LogEvery), $"the recording interval must be ≥ 1 iteration, not {LogEvery}.");
        if (HistoryCapacity < SolverHistory.MinimumCapacity)
            throw Invalid(nameof(HistoryCapacity), $"the history must hold at least {SolverHistory.MinimumCapacity} records, not {HistoryCapacity}.");
        if (CheckpointEvery < 0) throw Invalid(nameof(CheckpointEvery), $"the checkpoint interval must be ≥ 0 iterations, not {CheckpointEvery}.");
        if (CheckpointInterval is { } ci && ci <= TimeSpan.Zero) throw Invalid(nameof(CheckpointInterval), $"the checkpoint interval must be positive, not {ci.TotalSeconds} s.");
    }

    /// <summary>An exception naming the option (ParamName) and saying in words what is wrong with its value.</summary>
    /// <param name="name">The option's property name.</param>
    /// <param name="message">What is wrong, with the numbers formatted invariantly.</param>
    private protected static InvalidValueException Invalid(string name, FormattableString message) => InvalidValueException.Invariant(name, message);

    /// <summary>Requires an optional value to be finite and positive when given.</summary>
    /// <param name="value">The value.</param>
    /// <param name="name">The option's property name.</param>
    /// <param name="what">The option in words, e.g. "the step".</param>
    private protected static void FinitePositive(double? value, string name, string what)
    {
        if (value is { } v && !(v > 0 && double.IsFinite(v))) throw Invalid(name, $"{what} must be finite and > 0, not {v}.");
    }
}

/// <summary>Marks an options member that does not shape the iterates (observers, checkpoint schedules), so changing it
/// does not stop a checkpoint from resuming.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotFingerprintedAttribute : Attribute;
