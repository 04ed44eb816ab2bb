using Pbgd.LowerLevel;
using Pbgd.Problems.Toys;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Xunit.Abstractions;

namespace Pbgd.Tests.Problems;

public class ToyProblemTests(ITestOutputHelper output)
{
    [Fact]
    public void Example1ReachesAGlobalMinimumFromEveryStart()
    {
        // [XC24] Example 1, γ = 10, 200 seeded starts in [−4, 4]²: PBGD-J ends at F(u) ≤ 1e−8 with |u − v| ≤ 1e−6.
        var problem = new XiaoChenExample1();
        var random = new Random(2024);
        var ends = new List<double>();
        for (int s = 0; s < 200; s++)
        {
            double u0 = 8 * random.NextDouble() - 4, v0 = 8 * random.NextDouble() - 4;
            var result = new PbgdJacobi(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
            {
                Penalty = PenaltySchedule.Constant(10),
                MaxIterations = 200_000,
                GradientTolerance = 1e-12,
            }).Run([u0], [v0]);
            double u = result.U[0], v = result.V[0];
            Assert.True(XiaoChenExample1.Nested(u) <= 1e-8, $"start ({u0:F3}, {v0:F3}) ended at u = {u}, F = {XiaoChenExample1.Nested(u):E2} ({result.StopReason})");
            Assert.InRange(Math.Abs(u - v), 0, 1e-6);
            ends.Add(Math.Round(u, 3));
        }
        output.WriteLine("end points: " + string.Join(", ", ends.GroupBy(x => x).OrderBy(g => g.Key).Select(g => $"u = {g.Key} ×{g.Count()}")));
    }

    [Trait("Speed", "Slow")]
    [Fact]
    public void VpbgdToyReachesTheGradientToleranceFromEveryStart()
    {
        // γ = 10, α = 0.1/γ, stop when the projected-gradient norm < 1e−5; 1 000 starts x ~ U[0, 3], y ~ U[−5, 8.5].
        var problem = new VpbgdToy();
        var random = new Random(7);
        var ends = new List<(double X, double Y, double F)>();
        for (int s = 0; s < 1000; s++)
        {
            double x0 = 3 * random.NextDouble(), y0 = -5 + 13.5 * random.NextDouble();
            var result = new PbgdJacobi(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
            {
                Penalty = PenaltySchedule.Constant(10),
                StepSize = 0.1 / 10,
                MaxIterations = 200_000,
                GradientTolerance = 1e-5,
            }).Run([x0], [y0]);
            Assert.Equal(StopReason.Converged, result.StopReason);
            // Convergence tolerance is relative to 1 + |L|; report the absolute norm reached too.
            Assert.True(result.Final.GradientNorm < 1e-5 * (1 + Math.Abs(result.Final.Penalized)));
            ends.Add((result.U[0], result.V[0], result.Final.Upper));
        }
        var distinct = new List<(double X, double Y, double F, int Count)>();
        foreach (var e in ends)
        {
            int i = distinct.FindIndex(d => Math.Abs(d.X - e.X) <= 1e-3 && Math.Abs(d.Y - e.Y) <= 1e-3);
            if (i < 0) distinct.Add((e.X, e.Y, e.F, 1));
            else distinct[i] = distinct[i] with { Count = distinct[i].Count + 1 };
        }
        output.WriteLine($"{distinct.Count} distinct end points (farther apart than 1e−3):");
        foreach (var d in distinct.OrderBy(d => d.F))
            output.WriteLine($"  x = {d.X:F4}, y = {d.Y:F4}, f = {d.F:F6}  ×{d.Count}");
        Assert.True(distinct.Count >= 1);
    }
}
