using MyProblems;
using Pbgd.Problems;
using Pbgd.Solvers;
using Pbgd.Tests.Support;
using Xunit.Abstractions;

namespace Pbgd.Tests.Guide;

/// docs/your-own-problem.md: its code blocks are, in order, docs/your-own-problem/TwoGroupRidge.cs (compiled into this
/// project), and what the guide says of that code holds.
public class YourOwnProblemGuideTests(ITestOutputHelper output)
{
    private static string Root => MarkdownCode.RepositoryRoot();

    [Fact]
    public void TheGuidesCodeBlocksAreTheCompiledFile()
    {
        var blocks = MarkdownCode.Blocks(Path.Combine(Root, "docs", "your-own-problem.md"), "csharp");
        string file = File.ReadAllText(Path.Combine(Root, "docs", "your-own-problem", "TwoGroupRidge.cs")).Replace("\r\n", "\n");
        Assert.True(blocks.Count >= 5, $"only {blocks.Count} C# blocks in the guide");
        // Consecutive blocks are separated by one blank line in the file.
        Assert.Equal(file, string.Join("\n", blocks));
        Assert.Contains("[`docs/your-own-problem.md`](docs/your-own-problem.md)", File.ReadAllText(Path.Combine(Root, "README.md")));
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var problem = TwoGroupRidgeExample.Instance(seed: 3);
        var random = new Random(5);
        for (int trial = 0; trial < 3; trial++)
        {
            double[] u = [random.NextDouble() * 4 - 3, random.NextDouble() * 4 - 3];
            var v = Enumerable.Range(0, problem.LowerDimension).Select(_ => random.NextDouble() - 0.5).ToArray();
            foreach (var block in FiniteDifferences.AllBlocks)
                Assert.InRange(FiniteDifferences.RelativeError(problem, u, v, block), 0, FiniteDifferences.Tolerance);
        }
    }

    [Fact]
    public void TheExactSolvesAreStationaryPointsAndThePenalizedOneMakesTheVStepExact()
    {
        var problem = TwoGroupRidgeExample.Instance(seed: 3);
        double[] u = [0.5, -1.5];
        var w = new double[problem.LowerDimension];
        var grad = new double[problem.LowerDimension];
        problem.SolveLower(u, w);
        problem.Lower(u, w, default, grad);
        Assert.True(grad.Max(Math.Abs) < 1e-9, $"‖∇_v g(u, v*)‖∞ = {grad.Max(Math.Abs)}");
        const double gamma = 30;
        problem.MinimizePenalized(u, gamma, w);
        var gradF = new double[problem.LowerDimension];
        problem.Upper(u, w, default, gradF);
        problem.Lower(u, w, default, grad);
        Assert.True(gradF.Zip(grad, (a, b) => Math.Abs(a + gamma * b)).Max() < 1e-8);
        // The capability PBGD-B asks for, found through GetCapability.
        Assert.NotNull(((IBilevelProblem)problem).GetCapability<IExactPenalizedLowerLevel>());
        Assert.True(new PbgdBlockwise(problem, new Pbgd.LowerLevel.ExactLowerLevelOracle(problem)).ExactLowerStep);
    }

    [Fact]
    public void TheSmoothnessEstimatesBoundTheCurvature()
    {
        var problem = TwoGroupRidgeExample.Instance(seed: 3);
        var s = problem.EstimateSmoothness([0, 0], new double[problem.LowerDimension]);
        // Along random directions in v, ‖∇g(v + δ) − ∇g(v)‖/‖δ‖ stays below ℓ_{g,v} at the box's largest weights.
        var random = new Random(2);
        double[] u = [TwoGroupRidge.High, TwoGroupRidge.High];
        var v = new double[problem.LowerDimension];
        var g0 = new double[v.Length];
        var g1 = new double[v.Length];
        problem.Lower(u, v, default, g0);
        for (int trial = 0; trial < 20; trial++)
        {
            var d = Enumerable.Range(0, v.Length).Select(_ => random.NextDouble() - 0.5).ToArray();
            problem.Lower(u, d, default, g1);
            double ratio = Math.Sqrt(g1.Zip(g0, (a, b) => (a - b) * (a - b)).Sum() / d.Sum(x => x * x));
            Assert.True(ratio <= s.LowerInV, $"curvature {ratio} above ℓ_g,v = {s.LowerInV}");
        }
        Assert.False(s.IsLocal);
        Assert.True(s.HasUpperBlock);
    }

    [Fact]
    public void LbfgsConvergesInTensOfIterationsWhateverGammaAndTheFixedStepDoesNot()
    {
        var problem = TwoGroupRidgeExample.Instance(seed: 3);
        foreach (double gamma in new[] { 10.0, 100.0, 1000.0 })
        {
            var lbfgs = TwoGroupRidgeExample.Solve(problem, gamma, UpperStepRule.Lbfgs);
            var gradient = TwoGroupRidgeExample.Solve(problem, gamma, UpperStepRule.Gradient);
            output.WriteLine($"γ = {gamma}: {lbfgs}\n          {gradient}");
            Assert.Equal(StopReason.Converged, lbfgs.StopReason);
            Assert.Equal(ConvergenceCriteria.Gradient, lbfgs.Converged);
            Assert.InRange(lbfgs.Iterations, 1, 60);
            // The relative tolerance as the guide states it.
            Assert.True(lbfgs.Final.GradientNorm <= 1e-9 * (1 + Math.Abs(lbfgs.Final.Penalized)));
            Assert.True(gradient.StopReason == StopReason.MaxIterations || gradient.Iterations > 3 * lbfgs.Iterations,
                $"the fixed step took {gradient.Iterations} iterations against L-BFGS's {lbfgs.Iterations}");
            Assert.False(lbfgs.Oscillated);
        }
    }

    [Fact]
    public void TheExampleRuns()
    {
        var captured = new StringWriter();
        int kernels = Pbgd.Kernels.ComputeThreads.Kernels;
        try { TwoGroupRidgeExample.Run(captured); }
        finally
        {
            // The example sets one thread for MKL and the kernels; give the kernels back their count (MKL stays at the
            // test process's one thread).
            Pbgd.Kernels.KernelPool.Threads = kernels;
        }
        output.WriteLine(captured.ToString());
        Assert.Contains("exact v-step: True", captured.ToString());
        Assert.Equal(6, captured.ToString().Split('\n').Count(l => l.StartsWith("PBGD-B: ", StringComparison.Ordinal)));
    }
}
