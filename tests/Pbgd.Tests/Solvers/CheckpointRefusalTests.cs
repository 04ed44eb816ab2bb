using System.Text.Json.Nodes;
using Pbgd.LowerLevel;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Solvers.Baselines;

namespace Pbgd.Tests.Solvers;

/// CheckpointValidation and the solvers' own state checks, field by field on the tiny box quadratic: each damaged field is
/// refused naming it (one damage per case), and each field at the edge of what a run can write is accepted.
public sealed class CheckpointRefusalTests
{
    private static readonly PbgdOptions Options = new() { Penalty = PenaltySchedule.Constant(2), MaxIterations = 12, HistoryCapacity = 16 };

    private static (PbgdJacobi Solver, SolverCheckpoint At10) Run()
    {
        var q = BoxQuadraticProblem.Small();
        SolverCheckpoint? at = null;
        new PbgdJacobi(q, new ExactLowerLevelOracle(q), Options with { CheckpointEvery = 10, Checkpoint = c => at ??= c }).Run([0.2, -0.25], [1.5, -1, 2]);
        return (new PbgdJacobi(q, new ExactLowerLevelOracle(q), Options), at!);
    }

    private static JsonNode Smoothness(SolverCheckpoint c, string field, JsonNode value)
    {
        var s = c.SolverState!.DeepClone();
        s["smoothness"]![field] = value;
        return s;
    }

    private static double[] Set(double[] x, int i, double value)
    {
        var copy = (double[])x.Clone();
        copy[i] = value;
        return copy;
    }

    public static TheoryData<string, string> Damages => new()
    {
        { "options", "other solver options" },
        { "data", "other data or model options (its fingerprint 0123456789ab…, this problem's unknown…)" },
        { "u-length", "the checkpoint's u has 1 entries; this problem's has 2" },
        { "u-null", "the checkpoint has no u" },
        { "v-length", "the checkpoint's v has 2 entries" },
        { "omega-length", "the checkpoint's omega has 4 entries" },
        { "iteration-over", "the checkpoint's iteration is 13; it must lie in [0, 12]" },
        { "iteration-negative", "the checkpoint's iteration is -1" },
        { "counters-short", "increaseCounters must be three counts ≥ 0" },
        { "counters-null", "increaseCounters must be three counts ≥ 0" },
        { "counters-negative", "increaseCounters must be three counts ≥ 0" },
        { "previous-long", "previous must hold two numbers" },
        { "seconds-negative", "seconds is -1" },
        { "seconds-infinite", "seconds is" },
        { "v-nan", "the checkpoint's v[1] is NaN" },
        { "omega-infinite", "the checkpoint's omega[2] is" },
        { "u-outside", "the checkpoint's u[1] = -1 lies outside the feasible set U (its projection is -0.3)" },
        { "history-null", "the checkpoint has no history" },
        { "history-three-of-ten", "history has 3 logged iterations before iteration 10; expected 10" },
        { "history-order", "history is out of order at entry 5 (iteration 4 after 4)" },
        { "history-beyond", "history reaches iteration 11, beyond the checkpoint's 10" },
        { "smoothness-upper-nan", "solverState.smoothness.upper is NaN" },
        { "smoothness-lower-infinite", "solverState.smoothness.lower is" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void ADamagedFieldIsRefusedNamingIt(string damage, string expected)
    {
        var (solver, c) = Run();
        Assert.Equal(10, c.Iteration);
        var h = c.History;
        var damaged = damage switch
        {
            "options" => c with { OptionsFingerprint = "x" },
            "data" => c with { DataFingerprint = "0123456789abcdef" },
            "u-length" => c with { U = [0.1] },
            "u-null" => c with { U = null! },
            "v-length" => c with { V = [0.1, 0.2] },
            "omega-length" => c with { Omega = [0, 0, 0, 0] },
            "iteration-over" => c with { Iteration = 13 },
            "iteration-negative" => c with { Iteration = -1 },
            "counters-short" => c with { IncreaseCounters = [0, 0] },
            "counters-null" => c with { IncreaseCounters = null! },
            "counters-negative" => c with { IncreaseCounters = [0, -1, 0] },
            "previous-long" => c with { Previous = [1, 2, 3] },
            "seconds-negative" => c with { Seconds = -1 },
            "seconds-infinite" => c with { Seconds = double.PositiveInfinity },
            "v-nan" => c with { V = Set(c.V, 1, double.NaN) },
            "omega-infinite" => c with { Omega = Set(c.Omega, 2, double.NegativeInfinity) },
            "u-outside" => c with { U = Set(c.U, 1, -1) },
            "history-null" => c with { History = null! },
            "history-three-of-ten" => c with { History = h[7..] },
            "history-order" => c with { History = [.. h[..5], h[4], .. h[6..]] },
            "history-beyond" => c with { History = [.. h, h[^1] with { Iteration = 11 }] },
            "smoothness-upper-nan" => c with { SolverState = Smoothness(c, "upper", "NaN") },
            _ => c with { SolverState = Smoothness(c, "lower", "Infinity") },
        };
        var e = Assert.ThrowsAny<Exception>(() => solver.Resume(damaged));
        Assert.True(e is ArgumentException or InvalidDataException, $"{e.GetType().Name}: {e.Message}");
        Assert.Contains(expected, e.Message);
        if (e is ArgumentException a) Assert.Equal("checkpoint", a.ParamName);
    }

    [Fact]
    public void ACheckpointOfAnotherSolverIsRefused()
    {
        var (_, c) = Run();
        var q = BoxQuadraticProblem.Small();
        var e = Assert.Throws<ArgumentException>(() => new PbgdBlockwise(q, new ExactLowerLevelOracle(q), Options).Resume(c));
        Assert.Contains("the checkpoint is of PBGD-J, this solver is PBGD-B", e.Message);
    }

    [Fact]
    public void FieldsAtTheEdgeOfWhatARunWritesAreAccepted()
    {
        var (solver, c) = Run();
        var full = solver.Resume(c);
        Assert.Equal(12, full.Iterations);
        foreach (var edge in new[]
        {
            c with { History = c.History[6..] },            // a thinned history keeps at least a quarter of its capacity (4)
            c with { Seconds = 0 },
            c with { IncreaseCounters = [0, 0, 0] },
            c with { U = Set(c.U, 0, 0.25) },               // on the box's upper face
            c with { SolverState = Smoothness(c, "lowerInV", 0) },
        })
            Assert.Equal(12, solver.Resume(edge).Iterations);
        // At the iteration limit: nothing to step, the point is measured and returned.
        var atLimit = solver.Resume(c with { Iteration = 12 });
        Assert.Equal((StopReason.MaxIterations, 12), (atLimit.StopReason, atLimit.Iterations));
    }

    [Fact]
    public void AResumableOraclesMissingStateAndABaselinesShortAuxiliaryIterateAreRefused()
    {
        var q = BoxQuadraticProblem.Small();
        SolverCheckpoint? at = null;
        var options = Options with { CheckpointEvery = 2, Checkpoint = c => at ??= c };
        new PbgdJacobi(q, new IterativeLowerLevelOracle(q), options).Run([0.2, -0.25], [1.5, -1, 2]);
        Assert.NotNull(at!.OracleState);
        var e = Assert.Throws<InvalidDataException>(() => new PbgdJacobi(q, new IterativeLowerLevelOracle(q), Options).Resume(at with { OracleState = null }));
        Assert.Contains("the checkpoint has no oracleState", e.Message);

        SolverCheckpoint? baseline = null;
        var bo = new BaselineOptions { MaxIterations = 4, CheckpointEvery = 2, Checkpoint = c => baseline ??= c };
        new F2sa(q, new ExactLowerLevelOracle(q), bo).Run([0.2, -0.25], [1.5, -1, 2]);
        var state = baseline!.SolverState!.DeepClone();
        state["auxiliary"] = new JsonArray(1.0, 2.0);
        var f = Assert.Throws<InvalidDataException>(() => new F2sa(q, new ExactLowerLevelOracle(q), bo with { Checkpoint = null }).Resume(baseline with { SolverState = state }));
        Assert.Contains("solverState.auxiliary has 2 numbers; expected 3", f.Message);
    }
}
