using Pbgd.LowerLevel;

namespace Pbgd.Tests.LowerLevel;

/// The iterative oracle's options: each invalid value is refused by the oracle's constructor naming that option (one
/// case per condition, every other option valid), the boundary values are accepted, and the step-count rule
/// T = max(1, ⌈c_T·ln(1/ε)⌉) against hand-computed values.
public class IterativeOracleOptionsTests
{
    private static readonly DiagonalLowerProblem Problem = new([1.0, 4.0]);

    public static TheoryData<IterativeOracleOptions, string> Invalid => new()
    {
        { new() { StepSize = 0 }, nameof(IterativeOracleOptions.StepSize) },
        { new() { StepSize = -0.5 }, nameof(IterativeOracleOptions.StepSize) },
        { new() { StepSize = double.NaN }, nameof(IterativeOracleOptions.StepSize) },
        { new() { StepSize = double.PositiveInfinity }, nameof(IterativeOracleOptions.StepSize) },
        { new() { Steps = 0 }, nameof(IterativeOracleOptions.Steps) },
        { new() { StepsPerLogInverseEpsilon = 0 }, nameof(IterativeOracleOptions.StepsPerLogInverseEpsilon) },
        { new() { StepsPerLogInverseEpsilon = double.NaN }, nameof(IterativeOracleOptions.StepsPerLogInverseEpsilon) },
        { new() { StepsPerLogInverseEpsilon = double.PositiveInfinity }, nameof(IterativeOracleOptions.StepsPerLogInverseEpsilon) },
        { new() { Epsilon = 0 }, nameof(IterativeOracleOptions.Epsilon) },
        { new() { Epsilon = 1 }, nameof(IterativeOracleOptions.Epsilon) },
        { new() { Epsilon = double.NaN }, nameof(IterativeOracleOptions.Epsilon) },
        { new() { Tolerance = 0 }, nameof(IterativeOracleOptions.Tolerance) },
        { new() { Tolerance = double.NaN }, nameof(IterativeOracleOptions.Tolerance) },
        { new() { MaxSteps = 0 }, nameof(IterativeOracleOptions.MaxSteps) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void AnInvalidOptionIsRefusedNamingIt(IterativeOracleOptions options, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new IterativeLowerLevelOracle(Problem, options));
        Assert.Equal(parameter, ex.ParamName);
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
