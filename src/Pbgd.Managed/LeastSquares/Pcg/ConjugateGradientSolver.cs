using System.Text.Json.Nodes;
using Pbgd.Checkpoints;

namespace Pbgd.LeastSquares;

/// <summary>
/// Preconditioned conjugate gradients on the normal equations (docs/algorithms.md §4 (c)), registered as "cg":
/// <code>
/// system 1:  (XᵀΨX + λI) W = XᵀΨY
/// system 2:  (X_valᵀX_val + γ(XᵀΨX + λI)) W = X_valᵀY_val + γXᵀΨY
/// </code>
/// A step costs one pass over X_trn (<see cref="PcgProducts"/>); a solve of system 2 solves system 1 alongside in the
/// same passes and keeps it, so W*(ψ) asked next at the same weights is handed out without a solve. Starts are
/// extrapolated from the previous solutions (<see cref="PcgWarmStart"/>), the preconditioner comes from an earlier solve
/// (<see cref="PcgPreconditioner"/>: rebuilt every <see cref="RefreshEvery"/> solves, after one over
/// <see cref="SlowSteps"/> steps, and when λ changes), and a solution is accepted only at the normwise backward error
/// <see cref="LeastSquaresOptions.ConjugateGradientTolerance"/> on residuals recomputed from the data
/// (<see cref="PcgIteration"/>). A solve that misses it after one refresh is reported as failed. Features whose column of
/// the system is zero stay at zero, the minimum-norm choice. System 2 at γ = 0 is left to the next solver.
/// </summary>
public sealed class ConjugateGradientSolver : ILeastSquaresSolver, IVerifiedResidualSource, ISolveCost
{
    internal const string RegistryName = "cg";

    internal static LeastSquaresRegistry.SolverEntry Registration { get; } = new(RegistryName,
        "preconditioned conjugate gradients on the normal equations, warm-started, both systems of a PBGD-B iteration in the same passes; accepted at the normwise backward error --cg-tolerance",
        options => FormattableString.Invariant($"conjugate gradients (normwise backward error ≤ {options.ConjugateGradientTolerance:G3})"),
        ReadsSinglePrecisionCopy: true, context => new ConjugateGradientSolver(context.Data, context.Options));

    private readonly LeastSquaresData _data;
    private readonly LeastSquaresOptions _options;
    private readonly int _n, _cm;
    private readonly PcgStatistics _statistics = new();
    // Created by the first solve: a chain that never reaches cg never forms X_valᵀX_val or allocates the buffers.
    private Parts? _parts;

    private sealed class Parts
    {
        internal Parts(LeastSquaresData data, LeastSquaresOptions options, PcgStatistics statistics)
        {
            Products = new PcgProducts(data, options.SinglePrecisionProducts, statistics);
            Preconditioner = new PcgPreconditioner(data, Products, statistics);
            Iteration = new PcgIteration(data, options, Products, Preconditioner, statistics);
            WarmStart = new PcgWarmStart(data.OutputCount * data.FeatureCount);
            Memo = new VerifiedResiduals(data.TrainCount, data.FeatureCount, data.OutputCount);
            SolveWeights = new double[data.TrainCount];
        }

        internal PcgProducts Products { get; }
        internal PcgPreconditioner Preconditioner { get; }
        internal PcgIteration Iteration { get; }
        internal PcgWarmStart WarmStart { get; }
        internal VerifiedResiduals Memo { get; }
        // ψ of the last solve, and whether system 1's current solution is W*(ψ) there (handed out again without a solve).
        internal double[] SolveWeights { get; }
        internal bool LowerSolvedAtWeights { get; set; }
    }

    /// <summary>Creates the solver; it allocates its buffers at the first solve.</summary>
    /// <param name="data">The data.</param>
    /// <param name="options">Tolerance, steps per round, float32 products; null for the defaults.</param>
    public ConjugateGradientSolver(LeastSquaresData data, LeastSquaresOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new LeastSquaresOptions();
        options.Validate();
        (_data, _options) = (data, options);
        (_n, _cm) = (data.TrainCount, data.OutputCount * data.FeatureCount);
    }

    /// <inheritdoc />
    public string Name => RegistryName;

    /// <summary>Whether the solver has solved (or measured) anything yet, i.e. holds buffers and state.</summary>
    public bool Started => _parts is not null;

    /// <summary>Refresh the preconditioner after this many solves (a tuning knob for --bench perf).</summary>
    internal int RefreshEvery { get; set; } = 12;

    /// <summary>Refresh it also after a solve that took more than this many steps.</summary>
    internal int SlowSteps { get; set; } = 10;

    /// <inheritdoc />
    public VerifiedResiduals? VerifiedResiduals => _parts?.Memo;

    /// <inheritdoc />
    public bool Accepts(LeastSquaresSystem system) => !system.IsPenalized || system.Gamma > 0;

    /// <summary>None when the system is answered from the last solve (W*(ψ) after system 2 at ψ); otherwise the passes over
    /// X_trn the recent solves took (their mean; <see cref="SolveCost.PriorPasses"/> before any), at 8 bytes a value (4 for
    /// float products), and the preconditioner's float Gram (N·m(m+1)/2 flop-equivalents: twice double's rate) and
    /// factorisations amortised over its refresh interval. N is over every process.</summary>
    double ISolveCost.ExpectedWork(LeastSquaresSystem system)
    {
        var parts = _parts;
        int s = system.IsPenalized ? 1 : 0;
        bool answered = _data.Shard.All(parts is not null && s == 0 && parts.LowerSolvedAtWeights && system.Weights.SequenceEqual(parts.SolveWeights)
                                        && system.Ridge == parts.Preconditioner.FactorRidge);
        if (answered) return 0;
        double n = _data.Shard.GlobalRows, m = _data.FeatureCount;
        var recent = _statistics.RecentPasses;
        double passes = SolveCost.PriorPasses;
        if (recent.Count > 0)
        {
            long total = 0;
            for (int k = 0; k < recent.Count; k++) total += recent[k];
            passes = (double)total / recent.Count;
        }
        double bytes = n * m * (_options.SinglePrecisionProducts ? 4 : 8);
        double refresh = (n * m * (m + 1) / 2 + 4 * m * m * m / 3) / RefreshEvery;
        return SolveCost.FlopsPerByte * passes * bytes + refresh;
    }

    /// <inheritdoc />
    public bool TrySolve(LeastSquaresSystem system, Span<double> solution, out int rank)
    {
        var parts = _parts ??= new Parts(_data, _options, _statistics);
        int s = system.IsPenalized ? 1 : 0;
        // Decided by every process together: a solve is collective on a distributed shard.
        bool answered = _data.Shard.All(s == 0 && parts.LowerSolvedAtWeights && system.Weights.SequenceEqual(parts.SolveWeights)
                        && system.Ridge == parts.Preconditioner.FactorRidge);
        if (!answered && !Solve(parts, system.Weights, system.Gamma, system.Ridge, penalized: s == 1))
        {
            rank = -1;
            return false;
        }
        var x = parts.Iteration.Solutions;
        int m = _data.FeatureCount, c = _data.OutputCount;
        for (int j = 0; j < m; j++)
            for (int q = 0; q < c; q++) solution[j * c + q] = x[(s * c + q) * m + j];
        rank = s == 0 ? parts.Preconditioner.KeptLower : parts.Preconditioner.KeptPenalized;
        return true;
    }

    private bool Solve(Parts parts, ReadOnlySpan<double> weights, double gamma, double ridge, bool penalized)
    {
        parts.Products.SetWeights(weights);
        weights.CopyTo(parts.SolveWeights);
        parts.LowerSolvedAtWeights = false;
        var preconditioner = parts.Preconditioner;
        bool refreshed = false;
        if (preconditioner.NeedsRefresh(ridge, RefreshEvery))
        {
            preconditioner.Refresh(ridge);
            refreshed = true;
        }
        if (penalized && preconditioner.NeedsPenalizedFactor(gamma)) preconditioner.FactorPenalized(gamma, ridge);
        preconditioner.SolvesSinceRefresh++;
        var iteration = parts.Iteration;
        iteration.Begin(penalized);
        parts.WarmStart.Extrapolate(iteration.Solutions, penalized);
        _statistics.LastSteps = 0;
        long passesBefore = _statistics.Passes;
        while (true)
        {
            if (iteration.Iterate(gamma, ridge)) break;
            // A stale preconditioner gets one more chance, fresh; a miss with a fresh one is final.
            if (refreshed)
            {
                _statistics.Fallbacks++;
                return false;
            }
            preconditioner.Refresh(ridge);
            if (penalized) preconditioner.FactorPenalized(gamma, ridge);
            refreshed = true;
        }
        preconditioner.LastSlow = _statistics.LastSteps > SlowSteps;
        var products = parts.Products;
        if (products.LastResidualModels == 2)
            parts.Memo.Record(products.Weights, iteration.Solutions, products.ResidualProducts, products.LowerRowSquares, products.PenalizedRowSquares);
        _statistics.Solves++;
        _statistics.Steps += _statistics.LastSteps;
        _statistics.RecordSolvePasses((int)(_statistics.Passes - passesBefore));
        parts.LowerSolvedAtWeights = true;
        parts.WarmStart.Accept(penalized);
        return true;
    }

    /// <summary>
    /// The normwise backward error, as this solver measures it, of a given W (m×c) for a system (for comparing other
    /// solvers' solutions). Leaves the solutions and warm starts as they were; refreshes the preconditioner first only if
    /// it never was or λ changed.
    /// </summary>
    internal double BackwardError(LeastSquaresSystem system, ReadOnlySpan<double> w)
    {
        var parts = _parts ??= new Parts(_data, _options, _statistics);
        parts.Products.SetWeights(system.Weights);
        var preconditioner = parts.Preconditioner;
        if (system.Ridge != preconditioner.FactorRidge || preconditioner.NormLower == 0) preconditioner.Refresh(system.Ridge);
        return parts.Iteration.MeasureBackwardError(w, system.Gamma, system.Ridge);
    }

    /// <summary>Solves that missed the tolerance (and went to the next solver) so far.</summary>
    internal int Fallbacks => _statistics.Fallbacks;

    /// <summary>CG steps the last solve took.</summary>
    internal int LastSteps => _statistics.LastSteps;

    /// <summary>Normwise backward errors of the last true-residual check (diagnostics).</summary>
    internal (double Lower, double Penalized) LastBackwardErrors => _statistics.LastBackwardErrors;

    /// <summary>Accepted solves so far and the CG steps they took.</summary>
    internal (int Solves, int Steps) Totals => (_statistics.Solves, _statistics.Steps);

    /// <summary>Preconditioner refreshes so far.</summary>
    internal int Refreshes => _statistics.Refreshes;

    /// <summary>Seconds spent in refreshes so far.</summary>
    internal double RefreshSeconds => _statistics.RefreshSeconds;

    /// <summary>Seconds spent so far in true residuals, A·P passes, preconditioner applications.</summary>
    internal double[] PhaseSeconds => _statistics.PhaseSeconds;

    /// <inheritdoc />
    public JsonNode SaveState()
    {
        if (_parts is not { } parts) return StateJson.ToNode(ConjugateGradientState.NotStarted);
        var x = parts.Iteration.Solutions;
        var warm = parts.WarmStart;
        var preconditioner = parts.Preconditioner;
        return StateJson.ToNode(new ConjugateGradientState
        {
            Started = true,
            LowerSolution = x[.._cm].ToArray(), PenalizedSolution = x[_cm..].ToArray(),
            PreviousLower = warm.Previous[.._cm], PreviousPenalized = warm.Previous[_cm..],
            LowerAccepted = warm.PreviousValid[0], PenalizedAccepted = warm.PreviousValid[1],
            LowerHasTwo = warm.HaveTwo[0], PenalizedHasTwo = warm.HaveTwo[1],
            RefreshWeights = (double[])preconditioner.RefreshWeights.Clone(), SolveWeights = (double[])parts.SolveWeights.Clone(),
            LowerSolvedAtWeights = parts.LowerSolvedAtWeights, LastSlow = preconditioner.LastSlow,
            SolvesSinceRefresh = preconditioner.SolvesSinceRefresh,
            FactorRidge = double.IsNaN(preconditioner.FactorRidge) ? null : preconditioner.FactorRidge,
            FactorGamma = double.IsNaN(preconditioner.FactorGamma) ? null : preconditioner.FactorGamma,
            RecentPasses = [.. _statistics.RecentPasses],
        });
    }

    /// <inheritdoc />
    public void RestoreState(JsonNode state)
    {
        var s = StateJson.FromNode<ConjugateGradientState>(state, "the conjugate-gradient state");
        s.Validate(_n, _cm);
        if (!s.Started)
        {
            _statistics.RecentPasses.Clear();
            _parts = null; // a fresh solver, created when first needed
            return;
        }
        var parts = _parts ??= new Parts(_data, _options, _statistics);
        _statistics.RecentPasses.Clear();
        foreach (int passes in s.RecentPasses ?? []) _statistics.RecordSolvePasses(passes);
        var x = parts.Iteration.Solutions;
        s.LowerSolution!.CopyTo(x[.._cm]);
        s.PenalizedSolution!.CopyTo(x[_cm..]);
        var warm = parts.WarmStart;
        s.PreviousLower!.CopyTo(warm.Previous, 0);
        s.PreviousPenalized!.CopyTo(warm.Previous, _cm);
        (warm.PreviousValid[0], warm.PreviousValid[1]) = (s.LowerAccepted, s.PenalizedAccepted);
        (warm.HaveTwo[0], warm.HaveTwo[1]) = (s.LowerHasTwo, s.PenalizedHasTwo);
        var preconditioner = parts.Preconditioner;
        s.RefreshWeights!.CopyTo(preconditioner.RefreshWeights, 0);
        s.SolveWeights!.CopyTo(parts.SolveWeights, 0);
        parts.LowerSolvedAtWeights = s.LowerSolvedAtWeights;
        if (s.FactorRidge is { } ridge)
        {
            preconditioner.Rebuild(ridge);
            if (s.FactorGamma is { } gamma) preconditioner.FactorPenalized(gamma, ridge);
        }
        else preconditioner.Forget();
        (preconditioner.LastSlow, preconditioner.SolvesSinceRefresh) = (s.LastSlow, s.SolvesSinceRefresh);
        parts.Memo.Clear();
    }
}
