using Pbgd.Certificates;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;
using Xunit.Abstractions;

namespace Pbgd.Tests.HyperCleaning;

/// The tiny realistic instances (N = 4, 2 corrupted, m = 2, scalar targets, 6 validation samples, R = 4):
/// PBGD-B from random starts against the 41⁴ grid minimum of F(u) = f(W*(u)).
public class TinyInstanceGlobalOptimumTests(ITestOutputHelper output)
{
    private static readonly HyperCleaningSquaredOptions Box = new() { Radius = 4 };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void BestOfThirtyStartsMatchesTheGridMinimum(int seed)
    {
        var data = HyperCleaningGenerator.Tiny(seed);
        var search = new HyperCleaningGridSearch(data.XTrain, data.YTrain, data.XValidation, data.YValidation, Box);
        var (gridValue, gridPoint) = search.GridMinimum(41);
        var (localValue, _) = search.MultiStartLocalSearch(starts: 20, seed: seed);
        // Cross-check of the certificate by a second method: the grid (spacing 0.2) and a continuous local
        // search agree to 1e−2·max(1, F); the local search may only be lower (it is not restricted to the grid).
        Assert.InRange(localValue - gridValue, -1e-2 * Math.Max(1, gridValue), 1e-9);

        var problem = new HyperCleaningSquaredProblem(data.XTrain, data.YTrain, data.XValidation, data.YValidation, Box);
        var fractions = new List<string>();
        double bestAtTen = double.PositiveInfinity, bestAtHundred = double.PositiveInfinity;
        foreach (double gamma in new[] { 10.0, 100.0 })
        {
            var random = new Random(1000 + seed);
            int within = 0;
            double best = double.PositiveInfinity;
            for (int s = 0; s < 30; s++)
            {
                var u0 = new double[4];
                for (int i = 0; i < 4; i++) u0[i] = 4 * (2 * random.NextDouble() - 1);
                var result = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
                {
                    Penalty = PenaltySchedule.Constant(gamma),
                    // 10× the conservative derived u-step: measured to keep L_γ monotone on these instances
                    // (ψ' vanishes toward the box corners, so the default step converges slowly there).
                    StepScale = 10,
                    MaxIterations = 100_000,
                    GradientTolerance = 1e-7,
                }).Run(u0, new double[2]);
                double value = search.Evaluate(result.U);
                best = Math.Min(best, value);
                if (Math.Abs(value - gridValue) <= 1e-2 * Math.Max(1, gridValue)) within++;
            }
            if (gamma == 10) bestAtTen = best; else bestAtHundred = best;
            fractions.Add($"γ = {gamma}: best F = {best:F6}, {within}/30 starts within 1e−2");
        }
        output.WriteLine($"seed {seed}: grid F = {gridValue:F6} at ({string.Join(", ", gridPoint.Select(x => x.ToString("F1")))}), local search {localValue:F6}; " + string.Join("; ", fractions));
        // PBGD converges to minimisers of L_γ, whose F lies O(1/γ) above min F (docs/algorithms.md §1). Measured:
        // at γ = 10 four seeds are within 1e−3 and seed 3 is 8.0e−3 above the grid (a converged run,
        // ‖∇L‖ ≈ 1e−9, at u₄ = −2.72 against the grid's −2.4); at γ = 100 every seed is within 1e−3.
        double scale = Math.Max(1, gridValue);
        Assert.InRange(bestAtHundred - gridValue, -1e-3 * scale, 1e-3 * scale);
        Assert.InRange(bestAtTen - gridValue, -1e-3 * scale, 1e-2 * scale);
    }
}
