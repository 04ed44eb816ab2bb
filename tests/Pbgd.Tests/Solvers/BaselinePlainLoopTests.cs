using Pbgd.LowerLevel;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Solvers.Baselines;

namespace Pbgd.Tests.Solvers;

/// F²SA and BOME (docs/algorithms.md §8) against plain loops written here from their update rules, on the tiny box
/// quadratic: the iterates, each record's multiplier, step and step norm, the measured f, g, g* and the counts; and which
/// points the reports measure.
public sealed class BaselinePlainLoopTests
{
    private const int Iterations = 4;

    // One iteration of either method from (u, v); returns (λ, step, ‖(d_u, d_v)‖) and the inner steps taken.
    private static (double Lambda, double Step, double Norm) Advance(BoxQuadraticProblem q, BaselineOptions o, bool bome, int k, double[] u, double[] v, double[] z)
    {
        if (bome) v.CopyTo(z, 0);
        for (int t = 0; t < o.InnerSteps; t++)
        {
            var bz = q.Bu(u);
            for (int i = 0; i < 3; i++) z[i] -= o.InnerStep * (z[i] - bz[i]);
        }
        var bu = q.Bu(u);
        var r = Enumerable.Range(0, 3).Select(i => v[i] - bu[i]).ToArray();
        // ∇_u g(u, v) − ∇_u g(u, z) = −Bᵀ(v − z); ∇_v g(u, v) = v − Bu.
        var gq = q.BtW(Enumerable.Range(0, 3).Select(i => -(v[i] - z[i])).ToArray());
        var fu = u.Select(x => q.C * x).ToArray();
        var fv = Enumerable.Range(0, 3).Select(i => v[i] - q.A[i]).ToArray();
        double lambda, upper, lower;
        if (bome)
        {
            double qq = r.Sum(x => x * x) + gq.Sum(x => x * x), fq = fv.Zip(r, (a, b) => a * b).Sum() + fu.Zip(gq, (a, b) => a * b).Sum();
            lambda = Math.Max(o.Eta * qq - fq, 0) / qq;
            (upper, lower) = (o.UpperStep, o.UpperStep);
        }
        else
        {
            lambda = o.Multiplier.Gamma(k);
            double scale = o.ScaleStepsByInverseMultiplier ? 1 / Math.Max(1, lambda) : 1;
            (upper, lower) = (o.UpperStep * scale, o.LowerStep * scale);
        }
        var du = Enumerable.Range(0, 2).Select(j => fu[j] + lambda * gq[j]).ToArray();
        var dv = Enumerable.Range(0, 3).Select(i => fv[i] + lambda * r[i]).ToArray();
        for (int j = 0; j < 2; j++) u[j] = Math.Clamp(u[j] - upper * du[j], q.Lo, q.Hi);
        for (int i = 0; i < 3; i++) v[i] -= lower * dv[i];
        return (lambda, upper, Math.Sqrt(du.Sum(x => x * x) + dv.Sum(x => x * x)));
    }

    public static TheoryData<string> Names => new(["F2SA ramp, scaled", "F2SA ramp, unscaled", "BOME"]);

    private static BaselineOptions Options(string name) => name switch
    {
        "F2SA ramp, scaled" => new() { Multiplier = PenaltySchedule.LinearRamp(0.5, 4, 3), UpperStep = 0.1, LowerStep = 0.2, InnerStep = 0.3, InnerSteps = 2, MaxIterations = Iterations },
        "F2SA ramp, unscaled" => new() { Multiplier = PenaltySchedule.LinearRamp(0.5, 4, 3), UpperStep = 0.05, LowerStep = 0.07, InnerStep = 0.3, InnerSteps = 3, ScaleStepsByInverseMultiplier = false, MaxIterations = Iterations },
        _ => new() { UpperStep = 0.08, InnerStep = 0.4, InnerSteps = 3, Eta = 0.7, MaxIterations = Iterations },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryRecordAndIterateMatchesThePlainLoop(string name)
    {
        var q = BoxQuadraticProblem.Small();
        var o = Options(name);
        bool bome = name == "BOME";
        double[] u0 = [0.2, -0.25], v0 = [1.5, -1, 2];
        var oracle = new ExactLowerLevelOracle(q);
        var result = bome ? new Bome(q, oracle, o).Run(u0, v0) : new F2sa(q, oracle, o).Run(u0, v0);
        double[] u = (double[])u0.Clone(), v = (double[])v0.Clone(), z = (double[])v0.Clone();
        var (lambda, step, norm) = (bome ? 0 : o.Multiplier.Gamma(0), 0.0, 0.0);
        Assert.Equal(Iterations + 1, result.History.Count);
        for (int k = 0; ; k++)
        {
            var rec = result.History[k];
            double f = q.Upper(u, v, default, default), g = q.Lower(u, v, default, default);
            foreach (var (want, got, what) in new[]
            {
                (lambda, rec.Gamma, "λ"), (step, rec.StepSize, "step"), (norm, rec.GradientNorm, "‖d‖"), (f, rec.Upper, "f"), (g, rec.Lower, "g"),
                (0, rec.LowerOptimal, "g*"), (f + lambda * g, rec.Penalized, "f + λ(g − g*)"),
            })
                Assert.True(Math.Abs(want - got) <= 1e-12 * Math.Max(1, Math.Abs(want)), $"{name}, k = {k}: {what} = {got:R}, plain loop {want:R}");
            Assert.Equal(new SolverCounts(k, k, 0, k * o.InnerSteps, 0, 0), rec.Counts);
            Assert.Equal(k * o.InnerSteps, rec.OracleSteps);
            Assert.Equal(3, rec.Rank);
            if (k == Iterations) break;
            (lambda, step, norm) = Advance(q, o, bome, k, u, v, z);
        }
        for (int j = 0; j < 2; j++) Assert.Equal(u[j], result.U[j], 1e-13);
        for (int i = 0; i < 3; i++) Assert.Equal(v[i], result.V[i], 1e-13);
        Assert.Equal(bome ? "BOME" : "F2SA", result.Algorithm);
        Assert.True(result.OracleIsExact);
        Assert.Equal("exact", result.Oracle);
    }

    [Theory]
    [InlineData(true, 4, 3)]
    [InlineData(false, 6, 3)]
    public void TheReportsAreMeasuredAtLoggedPointsAndTheLastOnly(bool exact, int calls, int observed)
    {
        // LogEvery = 2 over 5 steps: points 0, 2, 4 logged, 5 the last. An exact reporting oracle is asked at those (4); an
        // iterative one must follow u at every point (6), but the records of unlogged points stay unmeasured either way.
        var q = BoxQuadraticProblem.Small();
        var oracle = new OffsetOracle(q, [0, 0, 0], steps: 0, exact: exact);
        int seen = 0;
        var result = new F2sa(q, oracle, Options("F2SA ramp, scaled") with
        {
            MaxIterations = 5, LogEvery = 2, Observer = (in IterationRecord r, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => seen++,
        }).Run([0.2, -0.25], [1.5, -1, 2]);
        Assert.Equal(calls, oracle.Calls);
        Assert.Equal(observed, seen);
        Assert.Equal([0, 2, 4, 5], result.History.Records.ToArray().Select(r => r.Iteration));
        Assert.All(result.History.Records.ToArray(), r => Assert.True(r.IsMeasured && double.IsFinite(r.Penalized)));
        Assert.Equal(q.Upper(result.U, result.V, default, default), result.Final.Upper);
    }

    [Fact]
    public void ADivergedPointBetweenLoggedOnesReturnsThePreviousPointMeasuredAfresh()
    {
        // F²SA with unit steps on the script moves u by 1 per iteration (∇_u f = −1, v = z = 0 throughout). The ∞ at k = 4
        // (a logged point) stops the run; the point before it, k = 3, was not logged, so it is measured now.
        var script = new ScriptedProblem([10, 11, 12, 13, double.PositiveInfinity, 15]);
        var result = new F2sa(script, new ExactLowerLevelOracle(script), new BaselineOptions
        {
            Multiplier = PenaltySchedule.Constant(1), UpperStep = 1, ScaleStepsByInverseMultiplier = false, LogEvery = 2, MaxIterations = 10,
        }).Run([0.0], [0.0]);
        Assert.Equal((StopReason.Diverged, 3), (result.StopReason, result.Iterations));
        Assert.Equal([3.0], result.U);
        Assert.Equal(13, result.Final.Upper);
        Assert.Equal([0, 2, 3], result.History.Records.ToArray().Select(r => r.Iteration));
        // An unlogged point carries only its step (finite here): the ∞ at k = 4 is not measured and the run goes on.
        var passed = new F2sa(script, new ExactLowerLevelOracle(script), new BaselineOptions
        {
            Multiplier = PenaltySchedule.Constant(1), UpperStep = 1, ScaleStepsByInverseMultiplier = false, LogEvery = 5, MaxIterations = 5,
        }).Run([0.0], [0.0]);
        Assert.Equal((StopReason.MaxIterations, 5, 15.0), (passed.StopReason, passed.Iterations, passed.Final.Upper));
    }
}
