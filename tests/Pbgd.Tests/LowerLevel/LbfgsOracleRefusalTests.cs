using System.Text.Json.Nodes;
using Pbgd.Checkpoints;
using Pbgd.LowerLevel;

namespace Pbgd.Tests.LowerLevel;

/// The L-BFGS oracle's refusals, one case per condition with everything else valid: options (by the parameter's
/// name), per-call tolerances, and restored states; the boundary values are accepted and take effect.
public class LbfgsOracleRefusalTests
{
    private static readonly DiagonalLowerProblem Problem = new([1.0, 4.0]);

    private static LbfgsOracleOptions With(string option, double value) => option switch
    {
        nameof(LbfgsOracleOptions.Tolerance) => new() { Tolerance = value },
        nameof(LbfgsOracleOptions.Memory) => new() { Memory = (int)value },
        nameof(LbfgsOracleOptions.MaxIterations) => new() { MaxIterations = (int)value },
        nameof(LbfgsOracleOptions.MaxBacktracks) => new() { MaxBacktracks = (int)value },
        _ => throw new ArgumentException(option),
    };

    [Theory]
    [InlineData(nameof(LbfgsOracleOptions.Tolerance), 0.0)]
    [InlineData(nameof(LbfgsOracleOptions.Tolerance), -1e-8)]
    [InlineData(nameof(LbfgsOracleOptions.Tolerance), double.NaN)]
    [InlineData(nameof(LbfgsOracleOptions.Tolerance), double.PositiveInfinity)]
    [InlineData(nameof(LbfgsOracleOptions.Memory), 0)]
    [InlineData(nameof(LbfgsOracleOptions.MaxIterations), 0)]
    [InlineData(nameof(LbfgsOracleOptions.MaxBacktracks), 0)]
    public void AnInvalidOptionIsRefusedNamingIt(string option, double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LbfgsLowerLevelOracle(Problem, With(option, value)));
        Assert.Equal(option, ex.ParamName);
    }

    [Fact]
    public void TheSmallestValidOptionsAreAccepted()
    {
        var options = new LbfgsOracleOptions { Tolerance = double.Epsilon, Memory = 1, MaxIterations = 1, MaxBacktracks = 1 };
        var oracle = new LbfgsLowerLevelOracle(Problem, options);
        Assert.Same(options, oracle.Options);
        Assert.Equal("lbfgs(tol=4.94E-324, m=1, warm)", oracle.Name);
    }

    [Theory]
    [InlineData(-1e-3, 0.0)]
    [InlineData(double.NaN, 0.0)]
    [InlineData(1e-3, -0.1)]
    [InlineData(1e-3, 1.0)]       // boundary: relative must be < 1
    [InlineData(1e-3, double.NaN)]
    public void AnInvalidToleranceRequestIsRefused(double absolute, double relative)
    {
        var oracle = new LbfgsLowerLevelOracle(Problem);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => oracle.SetTolerance(absolute, relative));
        Assert.Equal("absolute", ex.ParamName);
        Assert.Contains("must be ≥ 0 (relative < 1)", ex.Message);
        Assert.Equal(new LbfgsLowerLevelOracle.State(1e-8, 0), StateJson.FromNode<LbfgsLowerLevelOracle.State>(oracle.SaveState(), "s"));
    }

    [Fact]
    public void TheBoundaryRequestsAreAccepted()
    {
        // Absolute 0 (raised to the floor) and relative 0 (off); the largest relative below 1.
        var oracle = new LbfgsLowerLevelOracle(Problem);
        oracle.SetTolerance(0, 0);
        Assert.Equal(new LbfgsLowerLevelOracle.State(1e-8, 0), StateJson.FromNode<LbfgsLowerLevelOracle.State>(oracle.SaveState(), "s"));
        oracle.SetTolerance(0.5, Math.BitDecrement(1.0));
        Assert.Equal(new LbfgsLowerLevelOracle.State(0.5, Math.BitDecrement(1.0)), StateJson.FromNode<LbfgsLowerLevelOracle.State>(oracle.SaveState(), "s"));
    }

    [Theory]
    [InlineData(-1e-3, 0.0, "absolute")]
    [InlineData(double.NaN, 0.0, "absolute")]
    [InlineData(1e-3, -0.1, "relative")]
    [InlineData(1e-3, 1.0, "relative")]   // boundary: relative must be < 1
    [InlineData(1e-3, double.NaN, "relative")]
    public void AnInvalidRestoredToleranceIsRefusedNamingIt(double absolute, double relative, string which)
    {
        var oracle = new LbfgsLowerLevelOracle(Problem);
        var ex = Assert.Throws<InvalidDataException>(() => oracle.RestoreState(StateJson.ToNode(new LbfgsLowerLevelOracle.State(absolute, relative))));
        Assert.Contains($"{which} tolerance", ex.Message);
        Assert.Equal(new LbfgsLowerLevelOracle.State(1e-8, 0), StateJson.FromNode<LbfgsLowerLevelOracle.State>(oracle.SaveState(), "s"));
    }

    [Fact]
    public void AnUnreadableStateIsRefusedNamingTheOracle()
    {
        var oracle = new LbfgsLowerLevelOracle(Problem);
        var ex = Assert.Throws<InvalidDataException>(() => oracle.RestoreState(new JsonObject { ["absolute"] = 1e-3 }));
        Assert.StartsWith("the L-BFGS oracle's state is not readable", ex.Message);
    }

    [Fact]
    public void ARestoredToleranceGovernsTheNextCall()
    {
        // Restored absolute 5 = the start's residual ‖(3, 4)‖ (boundary, ≤): the call stops at the start. Relative 0 and
        // absolute +∞ (the "no step" request) are valid too.
        var problem = new DiagonalLowerProblem([1.0, 4.0]);
        var oracle = new LbfgsLowerLevelOracle(problem);
        oracle.RestoreState(StateJson.ToNode(new LbfgsLowerLevelOracle.State(5, 0)));
        Assert.Equal(1, oracle.Estimate([3.0, 4.0], new double[2]).GradientSteps);
        oracle.RestoreState(StateJson.ToNode(new LbfgsLowerLevelOracle.State(double.PositiveInfinity, 0)));
        Assert.Equal(1, oracle.Estimate([300.0, 400.0], new double[2]).GradientSteps);
        // Absolute 0 with relative ½: the target is half the start's residual.
        oracle.RestoreState(StateJson.ToNode(new LbfgsLowerLevelOracle.State(0, 0.5)));
        Assert.Equal(new LbfgsLowerLevelOracle.State(0, 0.5), StateJson.FromNode<LbfgsLowerLevelOracle.State>(oracle.SaveState(), "s"));
    }
}
