using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// A failed line search leaves the run at the point it measured — u, v and ω all, though its trials moved each of them —
/// and a resumed run's clock goes on from the checkpoint's seconds.
public sealed class FailedStepRestoreTests
{
    /// f = 100(|u| + |v|) reported with ∇f = (−1, −1), g = ½(v − u)² with v*(u) = u: from (0, 0) the direction is (1, 1),
    /// every trial point (t, t) raises L_γ = 200t, and each trial's ω = u = t.
    private sealed class Deceptive : IBilevelProblem, IExactLowerLevel
    {
        public int UpperDimension => 1;
        public int LowerDimension => 1;

        public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
        {
            if (!gradU.IsEmpty) gradU[0] = -1;
            if (!gradV.IsEmpty) gradV[0] = -1;
            return 100 * (Math.Abs(u[0]) + Math.Abs(v[0]));
        }

        public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV)
        {
            double r = v[0] - u[0];
            if (!gradU.IsEmpty) gradU[0] = -r;
            if (!gradV.IsEmpty) gradV[0] = r;
            return 0.5 * r * r;
        }

        public void ProjectUpper(Span<double> u) { }
        public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => new(1, 1, 1, IsLocal: false);

        public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar)
        {
            vStar[0] = u[0];
            return new LowerSolveInfo(LowerSolveInfo.ClosedForm, 1, true);
        }
    }

    [Theory]
    [InlineData(UpperStepRule.Lbfgs)]
    [InlineData(UpperStepRule.SpectralGradient)]
    public void AFailedSearchReturnsTheMeasuredUVAndOmega(UpperStepRule rule)
    {
        var problem = new Deceptive();
        var solver = new PbgdJacobi(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(1), UpperStep = rule, MaxIterations = 5,
        });
        var result = solver.Run([0.0], [0.0]);
        Assert.Equal((StopReason.LineSearchFailed, 0), (result.StopReason, result.Iterations));
        Assert.Equal([0.0], result.U);
        Assert.Equal([0.0], result.V);
        Assert.Equal([0.0], result.Omega);
        Assert.Equal(0, result.Final.Upper);

        var state = solver.Init([0.0], [0.0]);
        Assert.Throws<InvalidOperationException>(() => solver.Step(state));
        Assert.Equal([0.0], state.U);
        Assert.Equal([0.0], state.V);
        Assert.Equal([0.0], state.Omega);
    }

    [Fact]
    public void AResumedRunsClockStartsFromTheCheckpointsSeconds()
    {
        var problem = new ScriptedProblem(Enumerable.Range(0, 20).Select(k => (double)k).ToArray());
        var options = new PbgdOptions { Penalty = PenaltySchedule.Constant(1), StepSize = 1, MaxIterations = 10 };
        SolverCheckpoint? at5 = null;
        var full = new PbgdJacobi(problem, new ExactLowerLevelOracle(problem), options with { CheckpointEvery = 5, Checkpoint = c => at5 ??= c })
            .Run([0.0], [0.0]);
        Assert.InRange(at5!.Seconds, 0, full.Seconds);
        // As if the first five iterations had taken 1000 s: the resumed run adds its own few milliseconds to them.
        var resumed = new PbgdJacobi(problem, new ExactLowerLevelOracle(problem), options).Resume(at5 with { Seconds = 1000 });
        Assert.InRange(resumed.Seconds, 1000, 1010);
        Assert.All(resumed.History.Records.ToArray().Where(r => r.Iteration >= 5), r => Assert.InRange(r.Seconds, 1000, resumed.Seconds));
        Assert.Equal(full.U, resumed.U);
    }
}
