using Pbgd.Problems;
using Pbgd.Problems.Toys;
using Xunit.Abstractions;

namespace Pbgd.Tests.Problems;

/// The convex quadratic benchmark's closed forms, checked through the problem's gradients (themselves checked against
/// finite differences in GradientTests), not through the eigen-coordinates the closed forms use.
public class ConvexQuadraticToyTests(ITestOutputHelper output)
{
    [Fact]
    public void OptimumIsStationaryForTheNestedObjective()
    {
        // F(x) = f(x, H⁻¹x): ∇F = ∇_x f + H⁻¹∇_y f (H symmetric). Its norm at x* must vanish to rounding.
        var toy = new ConvexQuadraticToy(20, seed: 2);
        var (x, y, value) = toy.Optimum();
        var gx = new double[20];
        var gy = new double[20];
        toy.Upper(x, y, gx, gy);
        // H⁻¹∇_y f by Gaussian elimination on H itself, independent of the eigen-coordinates the closed form uses.
        var correction = Pbgd.Tests.Support.DenseSolve.Solve(toy.Lower.H.ToArray(), gy, 20);
        double norm = Math.Sqrt(gx.Select((g, i) => (g + correction[i]) * (g + correction[i])).Sum());
        output.WriteLine($"F* = {value:G17}, ‖∇F(x*)‖ = {norm:E2}");
        Assert.True(norm <= 1e-12 * (1 + Math.Abs(value)), $"‖∇F(x*)‖ = {norm:E2}");
        // y* is the lower-level solution: g(x*, y*) = 0.
        Assert.True(((IBilevelProblem)toy).Lower(x, y, default, default) <= 1e-24);
        // And it is a minimum: F grows along random directions (strong convexity).
        var random = new Random(3);
        for (int trial = 0; trial < 5; trial++)
        {
            var xt = x.Select(xi => xi + 0.1 * (random.NextDouble() - 0.5)).ToArray();
            var yt = new double[20];
            toy.SolveLower(xt, yt);
            Assert.True(toy.Upper(xt, yt, default, default) > value);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(1000.0)]
    public void PenalizedMinimumIsStationaryAndConsistentWithTheExactVStep(double gamma)
    {
        IBilevelProblem toy = new ConvexQuadraticToy(20, seed: 5);
        var quadratic = (ConvexQuadraticToy)toy;
        var (x, y, value) = quadratic.PenalizedMinimum(gamma);
        var (fx, fy, gx, gy) = (new double[20], new double[20], new double[20], new double[20]);
        toy.Upper(x, y, fx, fy);
        toy.Lower(x, y, gx, gy);
        double norm = Math.Sqrt(fx.Select((f, i) => Math.Pow(f + gamma * gx[i], 2)).Sum() + fy.Select((f, i) => Math.Pow(f + gamma * gy[i], 2)).Sum());
        output.WriteLine($"γ = {gamma}: min L_γ = {value:G17}, ‖∇L_γ‖ = {norm:E2}");
        Assert.True(norm <= 1e-11 * (1 + gamma), $"‖∇L_γ‖ = {norm:E2}");
        // The exact v-step at x returns the same y.
        var step = new double[20];
        quadratic.MinimizePenalized(x, gamma, step);
        Assert.True(step.Select((s, i) => Math.Abs(s - y[i])).Max() <= 1e-12 * (1 + y.Max(Math.Abs)));
        // As γ grows, min L_γ approaches F* from below (the O(1/γ) bias of docs/algorithms.md §1).
        double fStar = quadratic.Optimum().Value;
        Assert.True(value <= fStar + 1e-12);
        if (gamma >= 1000) Assert.True(fStar - value <= 1e-2 * fStar, $"F* − min L_γ = {fStar - value:E2}");
    }
}
