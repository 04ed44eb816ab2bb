using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Solvers;

/// <summary>A checkpoint is a file a user can edit or damage: each damaged field is refused, naming the field.</summary>
public sealed class CheckpointValidationTests
{
    private static (PbgdBlockwise Solver, SolverCheckpoint Checkpoint) Run()
    {
        var d = HyperCleaningGenerator.Realistic(80, 30, 4, 3, 0.4, 2);
        var problem = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, new HyperCleaningSquaredOptions { Radius = 3 });
        SolverCheckpoint? at = null;
        var options = new PbgdOptions { MaxIterations = 30, LogEvery = 2, CheckpointEvery = 10, Checkpoint = c => { if (c.Iteration == 10) at = c; } };
        new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), options).Run(new double[problem.UpperDimension], new double[problem.LowerDimension]);
        var fresh = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, new HyperCleaningSquaredOptions { Radius = 3 });
        return (new PbgdBlockwise(fresh, new ExactLowerLevelOracle(fresh), options with { Checkpoint = null }), at!);
    }

    public static TheoryData<string, string> Damages => new()
    {
        { "iteration-high", "iteration is 100000" },
        { "iteration-negative", "iteration is -5" },
        { "u-outside", "u[5] = 1000000 lies outside" },
        { "u-nan", "u[5] is NaN" },
        { "history-empty", "history has 0 logged iterations" },
        { "smoothness-negative", "smoothness.lowerInV is -1" },
        { "omega-short", "omega has 3 entries" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void ADamagedFieldIsRefusedByName(string damage, string expected)
    {
        var (solver, checkpoint) = Run();
        var damaged = damage switch
        {
            "iteration-high" => checkpoint with { Iteration = 100_000 },
            "iteration-negative" => checkpoint with { Iteration = -5 },
            "u-outside" => checkpoint with { U = Set(checkpoint.U, 5, 1e6) },
            "u-nan" => checkpoint with { U = Set(checkpoint.U, 5, double.NaN) },
            "history-empty" => checkpoint with { History = [] },
            "smoothness-negative" => checkpoint with { SolverState = Damage(checkpoint.SolverState!, "lowerInV", -1) },
            "omega-short" => checkpoint with { Omega = checkpoint.Omega[..3] },
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        var e = Assert.ThrowsAny<Exception>(() => solver.Resume(damaged));
        Assert.True(e is ArgumentException or InvalidDataException, e.GetType().Name);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AnUndamagedCheckpointResumes()
    {
        var (solver, checkpoint) = Run();
        Assert.Equal(30, solver.Resume(checkpoint).Iterations);
    }

    private static double[] Set(double[] values, int i, double value)
    {
        var copy = (double[])values.Clone();
        copy[i] = value;
        return copy;
    }

    private static System.Text.Json.Nodes.JsonNode Damage(System.Text.Json.Nodes.JsonNode state, string field, double value)
    {
        var copy = state.DeepClone();
        copy["smoothness"]![field] = value;
        return copy;
    }
}
