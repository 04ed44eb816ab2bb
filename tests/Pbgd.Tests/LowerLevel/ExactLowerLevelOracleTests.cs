using Pbgd.LowerLevel;
using Pbgd.Problems;

namespace Pbgd.Tests.LowerLevel;

/// The exact oracle: ω = v*(u) in one solve, whatever ω held, with the solve's rank passed through and no gradient
/// steps; a problem without the exact capability is refused by name.
public class ExactLowerLevelOracleTests
{
    [Fact]
    public void TheEstimateIsTheClosedFormMinimiserAndTheReportCarriesTheSolvesRank()
    {
        // g = ½v₀² + 2v₁² − u·v: v*(u) = (u₀, u₁/4) = (3, −0.5) for u = (3, −2).
        var problem = new DiagonalLowerProblem([1.0, 4.0]) { ExactInfo = new LowerSolveInfo("svd", 1, false) };
        var oracle = new ExactLowerLevelOracle(problem);
        double[] omega = [10.0, 10.0];
        var report = oracle.Estimate([3.0, -2.0], omega);
        Assert.Equal([3.0, -0.5], omega);
        Assert.Equal(new OracleReport(0, 1, false), report);
        Assert.Equal(0, problem.LowerCalls);

        problem.ExactInfo = new LowerSolveInfo(LowerSolveInfo.ClosedForm, 2, true);
        Assert.Equal(new OracleReport(0, 2, true), oracle.Estimate([1.0, 1.0], omega));
        Assert.Equal([1.0, 0.25], omega);
        Assert.True(oracle.IsExact);
        Assert.Equal("exact", oracle.Name);
    }

    [Fact]
    public void AProblemWithoutAnExactLowerLevelIsRefusedNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ExactLowerLevelOracle(new DiagonalLowerProblem([1.0], exact: false)));
        Assert.Equal("problem", ex.ParamName);
        Assert.Contains(nameof(DiagonalLowerProblem), ex.Message);
        Assert.Contains(nameof(IExactLowerLevel), ex.Message);
    }
}
