using Pbgd.Solvers;

namespace Pbgd.Experiments;

/// <summary>Test accuracy, cleaning F1 and the held-out loss at the logged iterations, in arrays sized before the run.</summary>
public sealed class QualityTrace
{
    private int[] _iterations;
    private double[] _accuracy, _f1, _holdout;

    internal QualityTrace(int capacity)
    {
        capacity = Math.Max(2, capacity);
        _iterations = new int[capacity];
        _accuracy = new double[capacity];
        _f1 = new double[capacity];
        _holdout = new double[capacity];
    }

    /// <summary>Number of points.</summary>
    public int Count { get; private set; }

    /// <summary>Iteration of each point.</summary>
    public ReadOnlySpan<int> Iterations => _iterations.AsSpan(0, Count);

    /// <summary>Test accuracy at each point (NaN without a test set).</summary>
    public ReadOnlySpan<double> TestAccuracy => _accuracy.AsSpan(0, Count);

    /// <summary>Cleaning F1 at each point (NaN without a clean mask).</summary>
    public ReadOnlySpan<double> CleanF1 => _f1.AsSpan(0, Count);

    /// <summary>The held-out loss at each point (NaN without a held-out set, <see cref="HyperCleaningConfig.Holdout"/>).</summary>
    public ReadOnlySpan<double> HoldoutLoss => _holdout.AsSpan(0, Count);

    internal void Add(int iteration, double accuracy, double f1, double holdout = double.NaN)
    {
        int slot = Count < _iterations.Length ? Count++ : Count - 1;
        _iterations[slot] = iteration;
        _accuracy[slot] = accuracy;
        _f1[slot] = f1;
        _holdout[slot] = holdout;
    }

    /// <summary>The points so far, for a checkpoint (a resumed run's trajectory then has them all).</summary>
    /// <param name="Iterations">Iterations.</param>
    /// <param name="TestAccuracy">Test accuracy per point.</param>
    /// <param name="CleanF1">Cleaning F1 per point.</param>
    /// <param name="HoldoutLoss">Held-out loss per point.</param>
    internal sealed record State(int[] Iterations, double[] TestAccuracy, double[] CleanF1, double[] HoldoutLoss);

    internal State Save() => new(Iterations.ToArray(), TestAccuracy.ToArray(), CleanF1.ToArray(), HoldoutLoss.ToArray());

    internal void Restore(State state)
    {
        int n = state.Iterations?.Length ?? throw new InvalidDataException("the checkpoint's quality trace has no iterations.");
        if (state.TestAccuracy?.Length != n || state.CleanF1?.Length != n || state.HoldoutLoss?.Length != n)
            throw new InvalidDataException("the checkpoint's quality trace has columns of different lengths.");
        if (n > _iterations.Length - 1)
        {
            // A resumed run may log more points than this run's capacity planned for; grow once.
            Array.Resize(ref _iterations, n + 2);
            Array.Resize(ref _accuracy, n + 2);
            Array.Resize(ref _f1, n + 2);
            Array.Resize(ref _holdout, n + 2);
        }
        Count = 0;
        for (int i = 0; i < n; i++) Add(state.Iterations[i], state.TestAccuracy[i], state.CleanF1[i], state.HoldoutLoss[i]);
    }
}

/// <summary>What a progress display shows after an iteration.</summary>
/// <param name="Record">The solver's measurements.</param>
/// <param name="TestAccuracy">Latest test accuracy (NaN when not measured).</param>
/// <param name="CleanF1">Latest cleaning F1 (NaN when not measured).</param>
/// <param name="MaxIterations">The iteration limit (for an ETA).</param>
public readonly record struct HyperCleaningProgress(IterationRecord Record, double TestAccuracy, double CleanF1, int MaxIterations);
