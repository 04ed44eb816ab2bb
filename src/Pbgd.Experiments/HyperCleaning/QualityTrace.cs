using Pbgd.Solvers;

namespace Pbgd.Experiments;

/// <summary>Test accuracy and cleaning F1 at the logged iterations, in arrays sized before the run.</summary>
public sealed class QualityTrace
{
    private readonly int[] _iterations;
    private readonly double[] _accuracy, _f1;

    internal QualityTrace(int capacity)
    {
        capacity = Math.Max(2, capacity);
        _iterations = new int[capacity];
        _accuracy = new double[capacity];
        _f1 = new double[capacity];
    }

    /// <summary>Number of points.</summary>
    public int Count { get; private set; }

    /// <summary>Iteration of each point.</summary>
    public ReadOnlySpan<int> Iterations => _iterations.AsSpan(0, Count);

    /// <summary>Test accuracy at each point (NaN without a test set).</summary>
    public ReadOnlySpan<double> TestAccuracy => _accuracy.AsSpan(0, Count);

    /// <summary>Cleaning F1 at each point (NaN without a clean mask).</summary>
    public ReadOnlySpan<double> CleanF1 => _f1.AsSpan(0, Count);

    internal void Add(int iteration, double accuracy, double f1)
    {
        int slot = Count < _iterations.Length ? Count++ : Count - 1;
        _iterations[slot] = iteration;
        _accuracy[slot] = accuracy;
        _f1[slot] = f1;
    }
}

/// <summary>What a progress display shows after an iteration.</summary>
/// <param name="Record">The solver's measurements.</param>
/// <param name="TestAccuracy">Latest test accuracy (NaN when not measured).</param>
/// <param name="CleanF1">Latest cleaning F1 (NaN when not measured).</param>
/// <param name="MaxIterations">The iteration limit (for an ETA).</param>
public readonly record struct HyperCleaningProgress(IterationRecord Record, double TestAccuracy, double CleanF1, int MaxIterations);
