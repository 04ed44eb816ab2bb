namespace Pbgd.LeastSquares;

/// <summary>Counters and timings of the conjugate-gradient solver: diagnostics for tests and --bench perf, never read by
/// the solver's decisions (so they are not part of its checkpointed state).</summary>
internal sealed class PcgStatistics
{
    /// <summary>Seconds spent in true residuals, A·P passes and preconditioner applications.</summary>
    internal double[] PhaseSeconds { get; } = new double[3];

    /// <summary>Preconditioner refreshes so far.</summary>
    internal int Refreshes { get; set; }

    /// <summary>Seconds the refreshes took.</summary>
    internal double RefreshSeconds { get; set; }

    /// <summary>Accepted solves so far.</summary>
    internal int Solves { get; set; }

    /// <summary>CG steps the accepted solves took.</summary>
    internal int Steps { get; set; }

    /// <summary>Solves that missed the tolerance (and went to the next solver of the chain).</summary>
    internal int Fallbacks { get; set; }

    /// <summary>CG steps of the last solve.</summary>
    internal int LastSteps { get; set; }

    /// <summary>Passes over X_trn so far (A·P products and true residuals).</summary>
    internal long Passes { get; set; }

    /// <summary>Passes over X_trn of the last accepted solves, oldest first (at most <see cref="RecentCapacity"/>): the
    /// history auto's cost model reads (checkpointed, so a resumed run chooses as the uninterrupted one).</summary>
    internal List<int> RecentPasses { get; } = [];

    internal const int RecentCapacity = 8;

    internal void RecordSolvePasses(int passes)
    {
        RecentPasses.Add(passes);
        if (RecentPasses.Count > RecentCapacity) RecentPasses.RemoveAt(0);
    }

    /// <summary>Normwise backward errors of the last true-residual check.</summary>
    internal (double Lower, double Penalized) LastBackwardErrors { get; set; }
}
