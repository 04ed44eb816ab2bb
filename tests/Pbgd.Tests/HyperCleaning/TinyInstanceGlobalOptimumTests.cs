using Pbgd.Certificates;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;
using Xunit.Abstractions;

namespace Pbgd.Tests.HyperCleaning;

/// The tiny realistic instances (N = 4, 2 corrupted, m = 2, scalar targets, 6 validation samples, R = 4): PBGD-B with
/// the L-BFGS upper step from 30 random starts against the global minimum F* of F(u) = f(W*(u)) over the box, certified
/// by a 41⁴ grid whose 16 best points are refined by a projected descent (the certificate's own managed solves, not
/// the solver's LAPACK path).
[Trait("Speed", "Slow")]
public class TinyInstanceGlobalOptimumTests(ITestOutputHelper output)
{
    private static readonly HyperCleaningSquaredOptions Box = new() { Radius = 4 };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void BestOfThirtyStartsMatchesTheGlobalMinimum(int seed)
    {
        var data = HyperCleaningGenerator.Tiny(seed);
        var search = new HyperCleaningGridSearch(data.XTrain, data.YTrain, data.XValidation, data.YValidation, Box);
        var (fStar, point) = search.RefinedMinimum(41);
        var (gridValue, _) = search.GridMinimum(41);
        var (multiStart, _) = search.MultiStartLocalSearch(starts: 20, seed: seed);
        // Two independent methods agree: the multi-start descent finds nothing below the refined grid minimum.
        Assert.InRange(multiStart - fStar, -1e-9 * fStar, double.PositiveInfinity);
        Assert.InRange(fStar, 0, gridValue);

        var problem = new HyperCleaningSquaredProblem(data.XTrain, data.YTrain, data.XValidation, data.YValidation, Box);
        var gaps = new Dictionary<double, double>();
        foreach (double gamma in new[] { 10.0, 100.0, 1000.0 })
        {
            var random = new Random(1000 + seed);
            double best = double.PositiveInfinity;
            int within = 0, most = 0;
            // The band the penalty's O(1/γ²) bias allows (see the last assertions): 1e−2 relative at γ = 100, 1e−4 at 1000.
            double band = gamma >= 1000 ? 1e-4 : gamma >= 100 ? 1e-2 : double.PositiveInfinity;
            for (int s = 0; s < 30; s++)
            {
                var u0 = new double[4];
                for (int i = 0; i < 4; i++) u0[i] = 4 * (2 * random.NextDouble() - 1);
                var result = new PbgdBlockwise(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
                {
                    Penalty = PenaltySchedule.Constant(gamma), UpperStep = UpperStepRule.Lbfgs, MaxIterations = 1000, GradientTolerance = 1e-9,
                }).Run(u0, new double[2]);
                Assert.Equal(StopReason.Converged, result.StopReason);
                most = Math.Max(most, result.Iterations);
                double value = search.Evaluate(result.U);
                best = Math.Min(best, value);
                if (value - fStar <= band * fStar) within++;
            }
            gaps[gamma] = (best - fStar) / fStar;
            output.WriteLine($"seed {seed}, γ = {gamma}: best F = F*·(1 + {gaps[gamma]:E2}), {within}/30 starts within {band:G1} relative, at most {most} iterations");
            // The iteration count does not grow with γ (docs/algorithms.md §3a): measured 23–58 for every seed and γ.
            Assert.True(most <= 100, $"a start needed {most} iterations at γ = {gamma}");
            if (gamma >= 100) Assert.True(within >= 27, $"only {within}/30 starts within {band:G1} of F* at γ = {gamma}");
        }
        output.WriteLine($"seed {seed}: F* = {fStar:R} at ({string.Join(", ", point.Select(x => x.ToString("F3")))})");
        // PBGD minimises L_γ, not F: its F lies above F* by O(1/γ²) (interior bias O(1/γ) in u, F flat at u*), so the best
        // start matches the global minimum ever more closely: measured ≤ 1.9e−3 relative at γ = 100 and ≤ 2.0e−5 at 1000
        // (exactly F* on the seeds whose minimiser the penalty does not move).
        Assert.InRange(gaps[1000], -1e-9, 1e-4);
        Assert.InRange(gaps[100], -1e-9, 1e-2);
        if (gaps[100] > 1e-9) Assert.InRange(gaps[100] / gaps[1000], 30, 300); // the 1/γ² law: ×100 per decade
    }
}
