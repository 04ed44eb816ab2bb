using Pbgd.LowerLevel;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Xunit.Abstractions;

namespace Pbgd.Tests.UpperSteps;

/// A user's own problem (two ridge weights, one per feature group, exact lower level): PBGD-B with the L-BFGS upper
/// step against brute-force grids, refined around their best cell, of the reduced function φ_γ(u) = min_v L_γ(u, v)
/// and of the nested objective F(u) = f(W*(u)), both evaluated by the test problem's own plain-loop solves.
public sealed class UserProblemLbfgsTests(ITestOutputHelper output)
{
    // 81×81 over the box, then five 21×21 grids around the best point, each spanning four cells of the previous one:
    // a final spacing of ~4e−6 in u, where the value is within ~1e−11 of the function's minimum (it is smooth there).
    private static (double Value, double[] Point) GridMinimum(Func<double[], double> function)
    {
        double lo0 = GroupRidgeProblem.Low, hi0 = GroupRidgeProblem.High, lo1 = lo0, hi1 = hi0;
        double best = double.PositiveInfinity;
        var point = new double[2];
        int points = 81;
        for (int level = 0; level < 6; level++)
        {
            double h0 = (hi0 - lo0) / (points - 1), h1 = (hi1 - lo1) / (points - 1);
            for (int a = 0; a < points; a++)
                for (int b = 0; b < points; b++)
                {
                    double[] u = [lo0 + a * h0, lo1 + b * h1];
                    double value = function(u);
                    if (value < best) (best, point) = (value, u);
                }
            (lo0, hi0) = (Math.Max(GroupRidgeProblem.Low, point[0] - 2 * h0), Math.Min(GroupRidgeProblem.High, point[0] + 2 * h0));
            (lo1, hi1) = (Math.Max(GroupRidgeProblem.Low, point[1] - 2 * h1), Math.Min(GroupRidgeProblem.High, point[1] + 2 * h1));
            points = 21;
        }
        return (best, point);
    }

    private static PbgdResult Solve(GroupRidgeProblem problem, double gamma, UpperStepRule rule, int iterations = 200) =>
        (PbgdResult)new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(gamma), UpperStep = rule, MaxIterations = iterations, GradientTolerance = 1e-10,
        }).Run(new double[2], new double[problem.LowerDimension]);

    [Trait("Speed", "Slow")]
    [Theory]
    [InlineData(3)] // interior minimiser
    [InlineData(5)] // on the edge u₂ = 4
    [InlineData(7)]
    public void LbfgsMinimisesTheReducedFunctionAtGammaThousandWithinTwoHundredIterations(int seed)
    {
        const double gamma = 1000;
        var problem = new GroupRidgeProblem(seed);
        var (phiStar, uPhi) = GridMinimum(u => problem.Reduced(u, gamma));
        var result = Solve(problem, gamma, UpperStepRule.Lbfgs);
        double phi = problem.Reduced(result.U, gamma);
        output.WriteLine($"seed {seed}: grid φ* = {phiStar:R} at ({uPhi[0]:F6}, {uPhi[1]:F6}); lbfgs {result.StopReason} after {result.Iterations} " +
                         $"iterations ({result.Counts.Evaluations} evaluations) at ({result.U[0]:F6}, {result.U[1]:F6}), φ − φ* = {phi - phiStar:E2}");
        Assert.Equal(StopReason.Converged, result.StopReason);
        Assert.True(result.Iterations <= 200);
        // The grid's own error is ~1e−11 (its spacing and φ's smoothness): the solver must be at least as close.
        Assert.InRange(phi - phiStar, -1e-9, 1e-10);

        // The papers' fixed step, for contrast, is still far off after the same number of iterations.
        var gradient = Solve(problem, gamma, UpperStepRule.Gradient);
        double phiGradient = problem.Reduced(gradient.U, gamma);
        output.WriteLine($"  gradient after {gradient.Iterations}: φ − φ* = {phiGradient - phiStar:E2}");
        Assert.True(phiGradient - phiStar > 1e-4, $"the gradient rule reached φ − φ* = {phiGradient - phiStar:E2} in 200 iterations");
    }

    [Fact]
    public void TheNestedObjectiveGapShrinksLikeOneOverGammaSquared()
    {
        // PBGD minimises φ_γ, not F = f(W*(·)): u_γ − u* = O(1/γ) and F is smooth at u*, so F(u_γ) − F* = O(1/γ²)
        // (docs/algorithms.md §1). Measured on seed 3 (interior u*): 1.6e−7 at γ = 10³, 1.6e−9 at 10⁴.
        var problem = new GroupRidgeProblem(3);
        var (fStar, _) = GridMinimum(u => problem.Nested(u));
        double At(double gamma) => problem.Nested(Solve(problem, gamma, UpperStepRule.Lbfgs).U) - fStar;
        double g3 = At(1e3), g4 = At(1e4);
        output.WriteLine($"F − F*: γ = 1e3 {g3:E2}, 1e4 {g4:E2}");
        Assert.InRange(g4, 0, 1e-8);
        Assert.InRange(g3 / g4, 50, 200); // slope −2 in γ: a factor 100 per decade
    }
}
