using Pbgd.LowerLevel;
using Pbgd.Schedules;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// A problem written by a user against the public interfaces runs with both solvers and both oracles, and
/// each reaches the closed-form minimiser of L_γ.
public class UserDefinedProblemTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData("J", "exact")]
    [InlineData("J", "iterative")]
    [InlineData("B", "exact")]
    [InlineData("B", "iterative")]
    public void ReachesClosedFormMinimumOfPenalty(string algorithm, string oracleKind)
    {
        const double gamma = 20;
        var problem = QuadraticBilevelProblem.Create(seed: 7);
        var (uRef, vRef, lRef) = problem.MinimizeL(gamma);
        ILowerLevelOracle oracle = oracleKind == "exact"
            ? new ExactLowerLevelOracle(problem)
            : new IterativeLowerLevelOracle(problem, new IterativeOracleOptions { Tolerance = 1e-13, WarmStart = true });
        var options = new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(gamma),
            MaxIterations = 200_000,
            // The solver's own rule, not the gap to lRef: the assertions below are then claims it can fail.
            GradientTolerance = 1e-12,
        };
        PbgdSolver solver = algorithm == "J" ? new PbgdJacobi(problem, oracle, options) : new PbgdBlockwise(problem, oracle, options);
        var result = solver.Run(new double[problem.P], new double[problem.Q]);

        Assert.Equal(StopReason.Converged, result.StopReason);
        // L_γ is strongly convex, so a gradient of 1e−12·(1 + |L|) bounds the iterate error by ‖∇‖/μ: the closed-form
        // minimiser to 1e−9 in every coordinate and min L_γ to 1e−12 relative (measured: see the output).
        double du = Enumerable.Range(0, problem.P).Max(j => Math.Abs(result.U[j] - uRef[j]));
        double dv = Enumerable.Range(0, problem.Q).Max(i => Math.Abs(result.V[i] - vRef[i]));
        output.WriteLine($"{result}; max |u − u_γ| = {du:E2}, max |v − v_γ| = {dv:E2}, L − min L = {result.Final.Penalized - lRef:E2}");
        Assert.InRange(du, 0, 1e-9);
        Assert.InRange(dv, 0, 1e-9);
        Assert.InRange(result.Final.Penalized - lRef, -1e-13 * Math.Max(1, Math.Abs(lRef)), 1e-12 * Math.Max(1, Math.Abs(lRef)));
    }

    [Fact]
    public void PenaltyBiasShrinksAtTheRatesTheTheoryPredicts()
    {
        // With the penalized v, f(u_γ, v_γ) − F* = O(1/γ) (docs/algorithms.md §1); at the lower-level solution,
        // F(u_γ) − F* = O(1/γ²), because F is smooth at its interior minimum and u_γ − u* = O(1/γ).
        var problem = QuadraticBilevelProblem.Create(seed: 3);
        var (_, fStar) = problem.BilevelOptimum();
        var penalizedGaps = new List<double>();
        var nestedGaps = new List<double>();
        foreach (double gamma in new[] { 10.0, 100.0, 1000.0 })
        {
            var (_, _, lRef) = problem.MinimizeL(gamma);
            var result = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
            {
                Penalty = PenaltySchedule.Constant(gamma),
                MaxIterations = 500_000,
                PenalizedReference = lRef,
                PenalizedGapTolerance = 1e-13 * Math.Max(1, Math.Abs(lRef)),
            }).Run(new double[problem.P], new double[problem.Q]);
            var vStar = new double[problem.Q];
            problem.SolveLower(result.U, vStar);
            penalizedGaps.Add(Math.Abs(result.Final.Upper - fStar));
            nestedGaps.Add(problem.Upper(result.U, vStar, default, default) - fStar);
        }
        Assert.All(nestedGaps, gap => Assert.True(gap >= -1e-12, $"F(u_γ) = F* + {gap} is below the optimum"));
        double Slope(List<double> gaps) => (Math.Log(gaps[2]) - Math.Log(gaps[0])) / (Math.Log(1000) - Math.Log(10));
        Assert.InRange(Slope(penalizedGaps), -1.2, -0.8);
        Assert.InRange(Slope(nestedGaps), -2.2, -1.8);
    }
}
