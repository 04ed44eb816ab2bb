using Pbgd.Checkpoints;

namespace Pbgd.LeastSquares;

/// <summary>
/// What a checkpoint keeps of the conjugate-gradient solver: everything its next solves depend on besides their
/// arguments. The preconditioner is not stored; it is rebuilt from the weights and γ it was factored at, to the bit.
/// Solutions are stored as the solver holds them, transposed (Wᵀ, c×m row-major). Every field must be present (null
/// where allowed), so a truncated state is refused naming what is missing.
/// </summary>
public sealed record ConjugateGradientState
{
    /// <summary>False: never used (a fresh solver; every other field is ignored).</summary>
    public required bool Started { get; init; }
    /// <summary>System 1's current solution: the next warm start, and W*(ψ) handed out again at the same weights.</summary>
    public required double[]? LowerSolution { get; init; }
    /// <summary>System 2's current solution.</summary>
    public required double[]? PenalizedSolution { get; init; }
    /// <summary>System 1's solution before it (extrapolation).</summary>
    public required double[]? PreviousLower { get; init; }
    /// <summary>System 2's solution before it.</summary>
    public required double[]? PreviousPenalized { get; init; }
    /// <summary>Whether <see cref="LowerSolution"/> comes from an accepted solve.</summary>
    public required bool LowerAccepted { get; init; }
    /// <summary>Whether <see cref="PenalizedSolution"/> comes from an accepted solve.</summary>
    public required bool PenalizedAccepted { get; init; }
    /// <summary>Whether <see cref="PreviousLower"/> does too (then the next start extrapolates).</summary>
    public required bool LowerHasTwo { get; init; }
    /// <summary>Whether <see cref="PreviousPenalized"/> does too.</summary>
    public required bool PenalizedHasTwo { get; init; }
    /// <summary>ψ of the last preconditioner refresh.</summary>
    public required double[]? RefreshWeights { get; init; }
    /// <summary>ψ of the last solve.</summary>
    public required double[]? SolveWeights { get; init; }
    /// <summary>Whether <see cref="LowerSolution"/> is W*(ψ) at <see cref="SolveWeights"/> (handed out without a solve).</summary>
    public required bool LowerSolvedAtWeights { get; init; }
    /// <summary>Whether the last solve was slow (the next one refreshes).</summary>
    public required bool LastSlow { get; init; }
    /// <summary>Solves since the last refresh.</summary>
    public required int SolvesSinceRefresh { get; init; }
    /// <summary>λ of system 1's factor; null before the first refresh.</summary>
    public required double? FactorRidge { get; init; }
    /// <summary>γ of system 2's factor; null while there is none.</summary>
    public required double? FactorGamma { get; init; }

    /// <summary>Passes over X_trn of the last accepted solves, oldest first (auto's cost model reads them); absent in
    /// checkpoints written before the cost model existed, which then start from its prior.</summary>
    public int[]? RecentPasses { get; init; }

    /// <summary>The state of a solver that was never used.</summary>
    public static ConjugateGradientState NotStarted { get; } = new()
    {
        Started = false, LowerSolution = null, PenalizedSolution = null, PreviousLower = null, PreviousPenalized = null,
        LowerAccepted = false, PenalizedAccepted = false, LowerHasTwo = false, PenalizedHasTwo = false, RefreshWeights = null,
        SolveWeights = null, LowerSolvedAtWeights = false, LastSlow = false, SolvesSinceRefresh = 0, FactorRidge = null, FactorGamma = null,
    };

    /// <summary>Checks every field against the data's sizes; the message names the field.</summary>
    /// <param name="n">N.</param>
    /// <param name="systemLength">c·m.</param>
    /// <exception cref="InvalidDataException">A field is missing, of the wrong length or out of range.</exception>
    public void Validate(int n, int systemLength)
    {
        if (!Started) return;
        StateJson.Require(LowerSolution, systemLength, "lowerSolution");
        StateJson.Require(PenalizedSolution, systemLength, "penalizedSolution");
        StateJson.Require(PreviousLower, systemLength, "previousLower");
        StateJson.Require(PreviousPenalized, systemLength, "previousPenalized");
        RequireWeights(RefreshWeights, n, "refreshWeights");
        RequireWeights(SolveWeights, n, "solveWeights");
        if (SolvesSinceRefresh < 0) throw new InvalidDataException($"solvesSinceRefresh is {SolvesSinceRefresh}; it must be ≥ 0.");
        if (RecentPasses is { } recent && (recent.Length > 8 || recent.Any(p => p < 0)))
            throw new InvalidDataException($"recentPasses has {recent.Length} entries; at most 8, each ≥ 0.");
        if (FactorRidge is { } ridge && !(ridge >= 0 && double.IsFinite(ridge)))
            throw new InvalidDataException($"factorRidge is {ridge}; it must be finite and ≥ 0.");
        if (FactorGamma is { } gamma)
        {
            if (!(gamma >= 0 && double.IsFinite(gamma))) throw new InvalidDataException($"factorGamma is {gamma}; it must be finite and ≥ 0.");
            if (FactorRidge is null) throw new InvalidDataException("factorGamma is set but factorRidge is not: system 2 is factored only after system 1.");
        }
    }

    private static void RequireWeights(double[]? weights, int n, string field)
    {
        StateJson.Require(weights, n, field);
        for (int i = 0; i < n; i++)
            if (!(weights![i] >= 0 && double.IsFinite(weights[i]))) throw new InvalidDataException($"{field}[{i}] is {weights[i]}; a weight is finite and ≥ 0.");
    }
}
