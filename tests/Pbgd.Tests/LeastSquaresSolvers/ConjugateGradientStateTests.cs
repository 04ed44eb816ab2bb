using Pbgd.LeastSquares;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// ConjugateGradientState.Validate, one bad field per case on an otherwise valid state of N = 3, c·m = 2, each refusal
/// naming the field; values at the edge of a range (a weight 0, eight recent passes, λ = γ = 0) are accepted.
public class ConjugateGradientStateTests
{
    private const int N = 3, Cm = 2;

    private static ConjugateGradientState Valid() => new()
    {
        Started = true, LowerSolution = [1, 2], PenalizedSolution = [3, 4], PreviousLower = [0, 0], PreviousPenalized = [0, 0],
        LowerAccepted = true, PenalizedAccepted = true, LowerHasTwo = false, PenalizedHasTwo = false,
        RefreshWeights = [0.5, 0.5, 0.5], SolveWeights = [0.5, 0.5, 0.5], LowerSolvedAtWeights = true, LastSlow = false,
        SolvesSinceRefresh = 0, FactorRidge = 0.1, FactorGamma = 2, RecentPasses = [3, 4],
    };

    public static TheoryData<string, Func<ConjugateGradientState, ConjugateGradientState>, string> Damages() => new()
    {
        { "lower solution short", s => s with { LowerSolution = [1] }, "lowerSolution has 1 numbers; expected 2" },
        { "penalized solution missing", s => s with { PenalizedSolution = null }, "penalizedSolution is missing" },
        { "previous lower long", s => s with { PreviousLower = [0, 0, 0] }, "previousLower has 3 numbers" },
        { "previous penalized short", s => s with { PreviousPenalized = [0] }, "previousPenalized has 1 numbers" },
        { "refresh weights short", s => s with { RefreshWeights = [0.5, 0.5] }, "refreshWeights has 2 numbers; expected 3" },
        { "solve weights missing", s => s with { SolveWeights = null }, "solveWeights is missing" },
        { "a negative weight", s => s with { SolveWeights = [0.5, -1e-300, 0.5] }, "solveWeights[1] is -1E-300" },
        { "an infinite weight", s => s with { RefreshWeights = [0.5, 0.5, double.PositiveInfinity] }, "refreshWeights[2] is " },
        { "a NaN weight", s => s with { SolveWeights = [double.NaN, 0.5, 0.5] }, "solveWeights[0] is NaN" },
        { "negative solves since refresh", s => s with { SolvesSinceRefresh = -1 }, "solvesSinceRefresh is -1" },
        { "nine recent passes", s => s with { RecentPasses = [1, 1, 1, 1, 1, 1, 1, 1, 1] }, "recentPasses has 9 entries" },
        { "a negative recent pass", s => s with { RecentPasses = [1, -1] }, "recentPasses has 2 entries; at most 8, each ≥ 0" },
        { "negative ridge", s => s with { FactorRidge = -0.5 }, "factorRidge is -0.5" },
        { "infinite ridge", s => s with { FactorRidge = double.PositiveInfinity }, "factorRidge is " },
        { "NaN ridge", s => s with { FactorRidge = double.NaN }, "factorRidge is NaN" },
        { "negative gamma", s => s with { FactorGamma = -2 }, "factorGamma is -2" },
        { "infinite gamma", s => s with { FactorGamma = double.PositiveInfinity }, "factorGamma is " },
        { "NaN gamma", s => s with { FactorGamma = double.NaN }, "factorGamma is NaN" },
        { "gamma without ridge", s => s with { FactorRidge = null }, "factorGamma is set but factorRidge is not" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void EachBadFieldIsRefusedNamingIt(string damage, Func<ConjugateGradientState, ConjugateGradientState> apply, string named)
    {
        Valid().Validate(N, Cm);
        var error = Assert.Throws<InvalidDataException>(() => apply(Valid()).Validate(N, Cm));
        Assert.True(error.Message.Contains(named, StringComparison.Ordinal), $"{damage}: {error.Message}");
    }

    [Fact]
    public void ValuesAtTheEdgesOfTheirRangesAreAccepted()
    {
        (Valid() with { RefreshWeights = [0, 0, 0], SolvesSinceRefresh = 0, FactorRidge = 0, FactorGamma = 0, RecentPasses = [0, 0, 0, 0, 0, 0, 0, 0] })
            .Validate(N, Cm);
        (Valid() with { FactorRidge = null, FactorGamma = null, RecentPasses = null }).Validate(N, Cm); // never refreshed; an old checkpoint
        (Valid() with { FactorGamma = null }).Validate(N, Cm);
    }

    [Fact]
    public void ANotStartedStateIsNotLookedAtFurther() =>
        (ConjugateGradientState.NotStarted with { SolvesSinceRefresh = -5, LowerSolution = [1] }).Validate(N, Cm);
}
