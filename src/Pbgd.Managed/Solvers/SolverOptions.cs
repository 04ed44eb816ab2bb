using System.Text.Json.Serialization;

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
        if (MaxIterations < 0) throw Invalid(nameof(MaxIterations), "must be ≥ 0");
        if (TimeBudget is { } t && t <= TimeSpan.Zero) throw Invalid(nameof(TimeBudget), "must be positive");
        if (LogEvery < 1) throw Invalid(nameof(LogEvery), "must be ≥ 1");
        if (CheckpointEvery < 0) throw Invalid(nameof(CheckpointEvery), "must be ≥ 0");
        if (CheckpointInterval is { } ci && ci <= TimeSpan.Zero) throw Invalid(nameof(CheckpointInterval), "must be positive");
    }

    /// <summary>An exception naming the option and what is wrong with it, in words.</summary>
    /// <param name="name">The option's property name.</param>
    /// <param name="rule">What the value must be, e.g. "must be finite and > 0".</param>
    private protected static ArgumentException Invalid(string name, string rule) => new($"{name} {rule}.", name);

    /// <summary>Requires an optional value to be finite and positive when given.</summary>
    private protected static void FinitePositive(double? value, string name)
    {
        if (value is { } v && !(v > 0 && double.IsFinite(v))) throw Invalid(name, "must be finite and > 0");
    }
}

/// <summary>Marks an options member that does not shape the iterates (observers, checkpoint schedules), so changing it
/// does not stop a checkpoint from resuming.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotFingerprintedAttribute : Attribute;
