using System.Text.Json.Nodes;
using Pbgd.LeastSquares;
using static Pbgd.Tests.LeastSquaresSolvers.LeastSquaresCases;

namespace Pbgd.Tests.LeastSquaresSolvers;

/// A chain's restored counters at the edges of their ranges (accepted exactly at the bound, refused one past it, naming
/// the field), that a restored skip count is obeyed solve by solve, and the shape checks of a solve naming the argument.
public class ChainRestoreTests
{
    private const int N = 30, NVal = 8, M = 4, C = 2;

    private static LeastSquaresData Data() => RealisticData(N, NVal, M, C, seed: 3);

    private static JsonNode FreshState(string spec) => JsonNode.Parse(LeastSquaresRegistry.Build(spec, Data()).SaveState().ToJsonString())!;

    [Fact]
    public void CountersAtTheEdgeOfTheirRangesAreRestoredAndASkipCountIsObeyed()
    {
        var state = FreshState("normal:3,svd");
        var normal = state["links"]!["normal"]!;
        // Solutions may equal attempts; skipsLeft may equal the retry count (3).
        normal["attempts"] = 2;
        normal["solutions"] = 2;
        normal["skipsLeft"] = 3;
        var chain = LeastSquaresRegistry.Build("normal:3,svd", Data());
        chain.RestoreState(state);
        Assert.Equal(2, chain.Attempts["normal"]);
        Assert.Equal(2, chain.SolveCounts["normal"]);
        // The next three solves skip the normal equations (on this well-conditioned data they would answer), the fourth
        // tries them again.
        var psi = Weights(N, seed: 1);
        var answered = new List<string>();
        for (int k = 0; k < 4; k++) answered.Add(Solve(chain, psi, double.NaN, 0, new double[M * C]).Solver);
        Assert.Equal(["svd", "svd", "svd", "normal"], answered);
        Assert.Equal(new Dictionary<string, long> { ["normal"] = 3, ["svd"] = 3 }, chain.Attempts);
        Assert.Equal(new Dictionary<string, long> { ["normal"] = 3, ["svd"] = 3 }, chain.SolveCounts);
        Assert.Equal(0, chain.SaveState()["links"]!["normal"]!["skipsLeft"]!.GetValue<int>());
    }

    public static TheoryData<string, Action<JsonNode>, string> Damages() => new()
    {
        { "negative attempts", s => s["links"]!["normal"]!["attempts"] = -1, "links.normal.attempts is -1; it must be ≥ 0" },
        { "solutions one above attempts", s => { s["links"]!["normal"]!["attempts"] = 2; s["links"]!["normal"]!["solutions"] = 3; },
            "links.normal.solutions is 3; it must lie in [0, attempts = 2]" },
        { "negative solutions", s => { s["links"]!["svd"]!["attempts"] = 2; s["links"]!["svd"]!["solutions"] = -1; }, "links.svd.solutions is -1" },
        { "skips one above the retry count", s => s["links"]!["normal"]!["skipsLeft"] = 4, "links.normal.skipsLeft is 4; it must lie in [0, 3]" },
        { "negative skips", s => s["links"]!["normal"]!["skipsLeft"] = -1, "links.normal.skipsLeft is -1" },
        { "a link without retry count skipping", s => s["links"]!["svd"]!["skipsLeft"] = 1, "links.svd.skipsLeft is 1; it must lie in [0, 0]" },
        { "a member's state null", s => s["links"]!["svd"]!["solver"] = null, "links.svd.solver is missing" },
        { "a link null", s => s["links"]!["svd"] = null, "links.svd is missing" },
        { "the state of another chain", s => s["chain"] = "normal,svd", "chain is 'normal,svd'; this problem's chain is 'normal:3,svd'" },
        { "svd given state", s => s["links"]!["svd"]!["solver"] = new JsonObject { ["x"] = 1 }, "links.svd.solver: the SVD solver has no state" },
        { "svd given a number", s => s["links"]!["svd"]!["solver"] = 5, "links.svd.solver: the SVD solver has no state" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void ACounterOnePastItsRangeIsRefusedNamingIt(string damage, Action<JsonNode> apply, string named)
    {
        var state = FreshState("normal:3,svd");
        apply(state);
        var chain = LeastSquaresRegistry.Build("normal:3,svd", Data());
        var error = Assert.Throws<InvalidDataException>(() => chain.RestoreState(state));
        Assert.True(error.Message.Contains(named, StringComparison.Ordinal), $"{damage}: {error.Message}");
        Assert.Equal(0, chain.Attempts["normal"]);
    }

    [Fact]
    public void AMemberThatRefusesRollsBackTheMembersRestoredBeforeIt()
    {
        // cg (first) takes the donor's state, then qr (second) refuses its own: cg must be back where it was.
        var data = Data();
        var donor = LeastSquaresRegistry.Build("cg,qr,svd", data);
        Solve(donor, Weights(N, seed: 1), 5, 0, new double[M * C]);
        var state = JsonNode.Parse(donor.SaveState().ToJsonString())!;
        state["links"]!["qr"]!["solver"] = new JsonArray();
        var chain = LeastSquaresRegistry.Build("cg,qr,svd", data);
        var error = Assert.Throws<InvalidDataException>(() => chain.RestoreState(state));
        Assert.StartsWith("the exact-solver state: links.qr.solver: ", error.Message);
        Assert.False(chain.Find<ConjugateGradientSolver>()!.Started);
    }

    [Fact]
    public void ASolveOfTheWrongShapeIsRefusedNamingTheArgument()
    {
        var chain = LeastSquaresRegistry.Build("svd", Data());
        var weights = Assert.Throws<ArgumentException>(() => chain.Solve(LeastSquaresSystem.Lower(new double[N + 1], 0), new double[M * C]));
        Assert.Equal("system", weights.ParamName);
        Assert.Contains($"the system has {N + 1} weights; expected N = {N}", weights.Message);
        var solution = Assert.Throws<ArgumentException>(() => chain.Solve(LeastSquaresSystem.Lower(new double[N], 0), new double[M * C - 1]));
        Assert.Equal("solution", solution.ParamName);
        Assert.Contains($"the solution has {M * C - 1} elements; expected m·c = {M * C}", solution.Message);
        Assert.Equal(0, chain.Attempts["svd"]);
    }

    [Fact]
    public void AFailedChainNamesTheSystem()
    {
        var data = RankDeficient(300, 80, 12, 3, seed: 12);
        var chain = LeastSquaresRegistry.Build("normal", data);
        var error = Assert.Throws<InvalidOperationException>(() => chain.Solve(LeastSquaresSystem.Penalized(Weights(300, seed: 4), 2.5, 0), new double[36]));
        Assert.Contains("'normal' solved system 2 (γ = 2.5)", error.Message);
    }
}
