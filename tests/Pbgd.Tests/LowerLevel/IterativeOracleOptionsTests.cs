using Pbgd.LowerLevel;

namespace Pbgd.Tests.LowerLevel;

/// The iterative oracle's options: each invalid value is refused by the oracle's constructor naming that option (one
/// case per condition, every other option valid), the boundary values are accepted, and the step-count rule
/// T = max(1, ⌈c_T·ln(1/ε)⌉) against hand-computed values.
public class IterativeOracleOptionsTests
{
    private static readonly DiagonalLowerProblem Problem = new([1.0, 4.0]);

    private static IterativeOracleOptions With(string option, double value) => option switch
    {
        nameof(IterativeOracleOptions.StepSize) => new() { StepSize = value },
        nameof(IterativeOracleOptions.Steps) => new() { Steps = (int)value },
        nameof(IterativeOracleOptions.StepsPerLogInverseEpsilon) => new() { StepsPerLogInverseEpsilon = value },
        nameof(IterativeOracleOptions.Epsilon) => new() { Epsilon = value },
        nameof(IterativeOracleOptions.Tolerance) => new() { Tolerance = value },
        nameof(IterativeOracleOptions.MaxSteps) => new() { MaxSteps = (int)value },
        _ => throw new ArgumentException(option),
    };

    [Theory]
    [InlineData(nameof(IterativeOracleOptions.StepSize), 0.0)]
    [InlineData(nameof(IterativeOracleOptions.StepSize), -0.5)]
    [InlineData(nameof(IterativeOracleOptions.StepSize), double.NaN)]
    [InlineData(nameof(IterativeOracleOptions.StepSize), double.PositiveInfinity)]
    [InlineData(nameof(IterativeOracleOptions.Steps), 0)]
    [InlineData(nameof(IterativeOracleOptions.StepsPerLogInverseEpsilon), 0.0)]
    [InlineData(nameof(IterativeOracleOptions.StepsPerLogInverseEpsilon), double.NaN)]
    [InlineData(nameof(IterativeOracleOptions.StepsPerLogInverseEpsilon), double.PositiveInfinity)]
    [InlineData(nameof(IterativeOracleOptions.Epsilon), 0.0)]
    [InlineData(nameof(IterativeOracleOptions.Epsilon), 1.0)]
    [InlineData(nameof(IterativeOracleOptions.Epsilon), double.NaN)]
    [InlineData(nameof(IterativeOracleOptions.Tolerance), 0.0)]
    [InlineData(nameof(IterativeOracleOptions.Tolerance), double.NaN)]
    [InlineData(nameof(IterativeOracleOptions.MaxSteps), 0)]
    public void AnInvalidOptionIsRefusedNamingIt(string option, double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new IterativeLowerLevelOracle(Problem, With(option, value)));
        Assert.Equal(option, ex.ParamName);
    }

    [Fact]
    public void TheSmallestValidValuesAreAccepted()
    {
        // Each at its boundary: one step, one max step, ε just inside (0, 1), the smallest positive step and tolerance.
        var options = new IterativeOracleOptions
        {
            StepSize = double.Epsilon, Steps = 1, StepsPerLogInverseEpsilon = double.Epsilon, Epsilon = Math.BitDecrement(1.0),
            Tolerance = double.Epsilon, MaxSteps = 1,
        };
        Assert.Equal("iterative(T=1, tol=5E-324, warm)", new IterativeLowerLevelOracle(Problem, options).Name);
        _ = new IterativeLowerLevelOracle(Problem, new IterativeOracleOptions { Epsilon = double.Epsilon });
    }

    [Theory]
    // ⌈1·ln 1000⌉ = ⌈6.9078⌉ = 7; ⌈0.5·ln 1000⌉ = ⌈3.4539⌉ = 4; ⌈2·ln 10⌉ = ⌈4.6052⌉ = 5 (Steps is then ignored).
    [InlineData(1.0, 1e-3, 7)]
    [InlineData(0.5, 1e-3, 4)]
    [InlineData(2.0, 0.1, 5)]
    // c_T·ln(1/ε) = 4.9e-324 × 0.105 rounds to 0, so the ceiling is 0 and the rule's floor of one step applies.
    [InlineData(double.Epsilon, 0.9, 1)]
    public void TheLogRuleGivesTheCeilingOfCTimesLogInverseEpsilonAndAtLeastOne(double c, double epsilon, int expected)
    {
        var options = new IterativeOracleOptions { Steps = 9, StepsPerLogInverseEpsilon = c, Epsilon = epsilon };
        Assert.Equal(expected, options.StepsPerCall);
    }

    [Fact]
    public void WithoutTheLogRuleTheStepCountIsSteps()
    {
        Assert.Equal(9, new IterativeOracleOptions { Steps = 9, Epsilon = 1e-6 }.StepsPerCall);
        Assert.Equal(1, new IterativeOracleOptions().StepsPerCall);
    }
}
