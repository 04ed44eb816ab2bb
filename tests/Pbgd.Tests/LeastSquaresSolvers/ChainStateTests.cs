using System.Text.Json.Nodes;
using Pbgd.LeastSquares;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// A chain's state (its counters and every member's state) through JSON text, as a checkpoint carries it: a restored
/// chain continues exactly as the original does, and a damaged state is refused naming the field, leaving the chain as
/// it was.
public class ChainStateTests
{
    private const int N = 300, NVal = 80, M = 12, C = 3;

    // The systems of a short PBGD-B-like run: weights drifting, system 2 then system 1 at each.
    private static List<(string Solver, double[] W)> Run(LeastSquaresChain chain, double[] psi, Random random, int iterations)
    {
        var results = new List<(string, double[])>();
        for (int k = 0; k < iterations; k++)
        {
            Drift(psi, random);
            foreach (double gamma in new[] { 5.0 + k, double.NaN })
            {
                var w = new double[M * C];
                results.Add((Solve(chain, psi, gamma, 0, w).Solver, w));
            }
        }
        return results;
    }

    private static JsonNode ThroughText(JsonNode state) => JsonNode.Parse(state.ToJsonString())!;

    [Theory]
    [InlineData("auto")]          // normal equations rejected, skipped, retried; CG's warm starts and preconditioner
    [InlineData("cg")]
    [InlineData("qr")]            // QR's rank-deficiency flags
    [InlineData("normal:2,qr,svd")]
    public void ARestoredChainContinuesBitForBit(string spec)
    {
        var data = RankDeficient(N, NVal, M, C, seed: 4);
        var original = LeastSquaresRegistry.Build(spec, data);
        var psi = Weights(N, seed: 9);
        var random = new Random(6);
        Run(original, psi, random, 7);
        var state = ThroughText(original.SaveState());
        var (psiAtSave, randomState) = ((double[])psi.Clone(), new Random(11));

        var restored = LeastSquaresRegistry.Build(spec, data);
        restored.RestoreState(state);
        Assert.Equal(original.SolveCounts, restored.SolveCounts);
        Assert.Equal(original.Attempts, restored.Attempts);
        var expected = Run(original, psi, randomState, 9);
        var actual = Run(restored, psiAtSave, new Random(11), 9);
        Assert.Equal(expected.Select(r => r.Solver), actual.Select(r => r.Solver));
        for (int k = 0; k < expected.Count; k++) Assert.Equal(expected[k].W, actual[k].W); // every double
        Assert.Equal(original.SolveCounts, restored.SolveCounts);
        Assert.Equal(ThroughText(original.SaveState()).ToJsonString(), ThroughText(restored.SaveState()).ToJsonString());
    }

    [Fact]
    public void AFreshChainsStateRestoresIntoAUsedOne()
    {
        var data = RankDeficient(N, NVal, M, C, seed: 4);
        var fresh = LeastSquaresRegistry.Build("auto", data).SaveState();
        var used = LeastSquaresRegistry.Build("auto", data);
        Run(used, Weights(N, seed: 9), new Random(6), 3);
        used.RestoreState(ThroughText(fresh));
        Assert.False(used.Find<ConjugateGradientSolver>()!.Started);
        var reference = Run(LeastSquaresRegistry.Build("auto", data), Weights(N, seed: 9), new Random(6), 3);
        var again = Run(used, Weights(N, seed: 9), new Random(6), 3);
        for (int k = 0; k < reference.Count; k++) Assert.Equal(reference[k].W, again[k].W);
    }

    public static TheoryData<string, Action<JsonNode>, string> Damages() => new()
    {
        { "chain", s => s["chain"] = "qr,svd", "chain is 'qr,svd'" },
        { "links missing", s => s.AsObject().Remove("links"), "'links'" },
        { "a member missing", s => s["links"]!.AsObject().Remove("cg"), "links.cg is missing" },
        { "a stranger", s => s["links"]!["lu"] = s["links"]!["svd"]!.DeepClone(), "links.lu is not a solver" },
        { "negative count", s => s["links"]!["svd"]!["solutions"] = -1, "links.svd.solutions is -1" },
        { "more solutions than attempts", s => s["links"]!["cg"]!["solutions"] = 1000, "links.cg.solutions is 1000" },
        { "skip beyond the retry count", s => s["links"]!["normal"]!["skipsLeft"] = 51, "links.normal.skipsLeft is 51" },
        { "a short solution", s => s["links"]!["cg"]!["solver"]!["lowerSolution"]!.AsArray().RemoveAt(0), "links.cg.solver: lowerSolution has 35 numbers; expected 36" },
        { "a negative weight", s => s["links"]!["cg"]!["solver"]!["refreshWeights"]![17] = -0.5, "refreshWeights[17] is -0.5" },
        { "gamma without ridge", s => s["links"]!["cg"]!["solver"]!["factorRidge"] = null, "factorGamma is set but factorRidge is not" },
        { "an unreadable member", s => s["links"]!["qr"]!["solver"]!["lowerRankDeficient"] = "maybe", "the QR solver's state is not readable" },
        { "state of a stateless member", s => s["links"]!["normal"]!["solver"] = new JsonObject { ["x"] = 1 }, "links.normal.solver: the normal equations have no state" },
        { "a member's flag missing", s => s["links"]!["qr"]!["solver"]!.AsObject().Remove("penalizedRankDeficient"), "penalizedRankDeficient" },
        { "cg's counter missing", s => s["links"]!["cg"]!["solver"]!.AsObject().Remove("solvesSinceRefresh"), "solvesSinceRefresh" },
        { "a link's counter missing", s => s["links"]!["svd"]!.AsObject().Remove("attempts"), "attempts" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void ADamagedStateIsRefusedNamingTheFieldAndChangesNothing(string damage, Action<JsonNode> apply, string named)
    {
        var data = RankDeficient(N, NVal, M, C, seed: 4);
        var donor = LeastSquaresRegistry.Build("auto", data);
        Run(donor, Weights(N, seed: 9), new Random(6), 4);
        var state = ThroughText(donor.SaveState());
        apply(state);

        var chain = LeastSquaresRegistry.Build("auto", data);
        var psi = Weights(N, seed: 2);
        Run(chain, psi, new Random(3), 2);
        var before = chain.SaveState().ToJsonString();
        var error = Assert.Throws<InvalidDataException>(() => chain.RestoreState(state));
        Assert.Contains(named, error.Message);
        Assert.True(before == chain.SaveState().ToJsonString(), $"{damage}: the refused state changed the chain");
    }
}
