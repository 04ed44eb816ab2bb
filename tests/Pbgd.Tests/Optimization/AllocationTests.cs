using Pbgd.Optimization;

namespace Pbgd.Tests.Optimization;

/// Measures process-wide allocation, so it runs alone.
[CollectionDefinition(nameof(OptimizationAllocationCollection), DisableParallelization = true)]
public class OptimizationAllocationCollection;

/// Stepping allocates no managed memory: after a warm-up (JIT tiers), a window of iterations — through both the
/// Wolfe and the projected-path searches, with an observer attached — leaves GC.GetTotalAllocatedBytes where it
/// was. The minimum over three windows is taken so an unrelated runtime thread cannot fail the test; a
/// per-iteration allocation would show in every window.
[Collection(nameof(OptimizationAllocationCollection))]
[Trait("Category", "Allocation")] // out of mutation runs: the instrumented assembly allocates
public class OptimizationAllocationTests
{
    [Theory]
    [InlineData("L-BFGS")]
    [InlineData("SPG")]
    public void StepsAllocateNothingInSteadyState(string method)
    {
        const int n = 50;
        var objective = new Rosenbrock(n);
        var minimizer = Minimizers.Create(method, objective, Box.Uniform(n, -2, 0.9), new BoxMinimizerOptions { GradientTolerance = 0, MaxIterations = 100_000 });
        double sum = 0;
        minimizer.Observer = (in MinimizerProgress p, ReadOnlySpan<double> x, ReadOnlySpan<double> g) => sum += p.Value;
        minimizer.Init(Rosenbrock.Start(n));
        for (int i = 0; i < 200; i++) minimizer.Step();

        long smallest = long.MaxValue;
        int callsBefore = objective.Calls;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < 40; i++) minimizer.Step();
            smallest = Math.Min(smallest, GC.GetTotalAllocatedBytes(precise: true) - before);
        }
        Assert.Equal(StopReason.None, minimizer.Status);   // the windows measured real steps
        Assert.True(objective.Calls - callsBefore >= 120);
        Assert.Equal(0, smallest);
        Assert.True(sum > 0);
    }
}
