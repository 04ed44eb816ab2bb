using Pbgd.Optimization;
using Xunit.Abstractions;

namespace Pbgd.Tests.Optimization;

/// Each test compares the minimiser's point with a solution known independently (analytically, or by the
/// enumeration of BoxQpReference), and bounds the iteration count by a number a method without curvature
/// information would miss by orders of magnitude.
public class ConvergenceTests(ITestOutputHelper output)
{
    private static readonly BoxMinimizerOptions Tight = new() { GradientTolerance = 1e-9, MaxIterations = 30_000 };

    /// Rosenbrock's minimiser is (1, …, 1) (f = 0 there, f ≥ 0 everywhere). Gradient descent needs thousands of
    /// iterations on the 2-D valley; L-BFGS with working memory needs a few dozen (the chained 10-D function,
    /// from (−1.2, 1, …), passes near a saddle and needs about twice the 2-D count). SPG is bounded loosely: BB
    /// steps are erratic on this valley (measured ≈ 14 000 iterations in 10-D with M = 10).
    [Theory]
    [InlineData("L-BFGS", 2, 50)]
    [InlineData("L-BFGS", 10, 100)]
    [InlineData("SPG", 2, 200)]
    [InlineData("SPG", 10, 20_000)]
    public void RosenbrockReachesTheAllOnesPoint(string method, int n, int maxIterations)
    {
        var minimizer = Minimizers.Create(method, new Rosenbrock(n), Box.Unbounded(n), Tight);
        var x = new double[n];
        var result = minimizer.Minimize(Rosenbrock.Start(n), x);
        output.WriteLine($"{method} n={n}: {result}");
        Assert.Equal(StopReason.Converged, result.Reason);
        double error = Minimizers.MaxAbsDifference(x, Enumerable.Repeat(1.0, n).ToArray());
        Assert.True(error <= 1e-6, $"max |x_i − 1| = {error:E2}");
        Assert.True(result.Counts.Iterations <= maxIterations, $"{result.Counts.Iterations} iterations > {maxIterations}");
    }

    /// The iteration count must not depend on the units: Rosenbrock with f multiplied by 1e±6 and x by 1e±3
    /// (minimiser s_x·(1, 1)) converges, with a relative gradient tolerance, in as few iterations as the original
    /// (37 measured; a unit-length first step is the only absolute length, and the Wolfe search adapts it).
    [Theory]
    [InlineData(1e-6, 1e-3)]
    [InlineData(1e6, 1e-3)]
    [InlineData(1e-6, 1e3)]
    [InlineData(1e6, 1e3)]
    public void LbfgsIterationCountDoesNotDependOnUnits(double valueScale, double pointScale)
    {
        var objective = new Rescaled(new Rosenbrock(2), valueScale, pointScale);
        var options = new BoxMinimizerOptions { GradientTolerance = 0, RelativeGradientTolerance = 1e-10 };
        var x = new double[2];
        var start = Rosenbrock.Start(2).Select(v => v * pointScale).ToArray();
        var result = new ProjectedLbfgs(objective, Box.Unbounded(2), options).Minimize(start, x);
        output.WriteLine($"f×{valueScale:E0}, x×{pointScale:E0}: {result}");
        Assert.Equal(StopReason.Converged, result.Reason);
        Assert.True(Math.Max(Math.Abs(x[0] / pointScale - 1), Math.Abs(x[1] / pointScale - 1)) <= 1e-6);
        Assert.True(result.Counts.Iterations <= 50, $"{result.Counts.Iterations} iterations");
    }

    /// The box QP's reference is the unique KKT point found by active-set enumeration; the instance is checked to
    /// have coordinates at the lower bound, at the upper bound, and free, so each branch is exercised. The
    /// gradient tolerance sits above the rounding error of ∇f = Ax − b (≈ 1e-16·‖A‖·‖x‖, 5e-11 at condition 1e6),
    /// and the error bound 1e-8 follows from |x − x*| ≲ tol/λ_min with λ_min = 1. At condition 1e6 gradient
    /// descent would need ~10⁶·ln(1/ε) iterations; L-BFGS needs tens (measured: see the output).
    [Theory]
    [InlineData("L-BFGS", 10.0, 1e-11, 30)]
    [InlineData("SPG", 10.0, 1e-11, 100)]
    [InlineData("L-BFGS", 1e6, 1e-9, 80)]
    public void BoxQuadraticMatchesTheEnumeratedKktPoint(string method, double condition, double gradientTolerance, int maxIterations)
    {
        const int n = 6;
        var (q, lower, upper) = BoxQp(n, condition, seed: 7);
        var reference = BoxQpReference.Solve(q.A, q.B, lower, upper);
        Assert.Contains(Enumerable.Range(0, n), i => reference[i] == lower[i]);
        Assert.Contains(Enumerable.Range(0, n), i => reference[i] == upper[i]);
        Assert.Contains(Enumerable.Range(0, n), i => reference[i] > lower[i] && reference[i] < upper[i]);

        var options = new BoxMinimizerOptions { GradientTolerance = gradientTolerance, MaxIterations = 100_000 };
        var minimizer = Minimizers.Create(method, q, new Box(lower, upper), options);
        var x = new double[n];
        var result = minimizer.Minimize(new double[n], x);
        output.WriteLine($"{method} cond={condition:E0}: {result}");
        Assert.Equal(StopReason.Converged, result.Reason);
        double error = Minimizers.MaxAbsDifference(x, reference);
        Assert.True(error <= 1e-8, $"max |x − x*| = {error:E2}");
        Assert.True(result.Counts.Iterations <= maxIterations, $"{result.Counts.Iterations} iterations > {maxIterations}");
    }

    internal static (Quadratic Q, double[] Lower, double[] Upper) BoxQp(int n, double condition, int seed)
    {
        var q = Quadratic.Random(n, condition, seed);
        var random = new Random(seed + 1);
        var lower = Enumerable.Range(0, n).Select(_ => -0.1 - 0.4 * random.NextDouble()).ToArray();
        var upper = Enumerable.Range(0, n).Select(_ => 0.1 + 0.4 * random.NextDouble()).ToArray();
        lower[n - 1] = double.NegativeInfinity;   // one coordinate bounded above only
        return (q, lower, upper);
    }
}
