using Pbgd.LowerLevel;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// RXGF (docs/algorithms.md §7) against a plain-loop reimplementation of its update, written here from the closed-form
/// direction problem, on the tiny box quadratic (h = ‖v − Bu‖², ∇h = 2(−Bᵀr, r)): λ, η (derived, fixed, and the
/// backtracking search that doubles the last accepted step and halves down to the derived one), the KKT residual and its
/// parts, the iterates, and the exact counts of evaluations, second-order products and backtracks.
public sealed class RxgfPlainLoopTests
{
    private const int Iterations = 5;

    private static (List<IterationRecord> Records, List<SolverCounts> Counts) Reference(BoxQuadraticProblem q, RxgfOptions o, double[] u, double[] v)
    {
        var (records, counts) = (new List<IterationRecord>(), new List<SolverCounts>());
        var s = q.Given;
        double accepted = double.NaN;
        long evaluations = 0, backtracks = 0;
        for (int k = 0; ; k++)
        {
            double f = q.Upper(u, v, default, default);
            var bu = q.Bu(u);
            var r = Enumerable.Range(0, 3).Select(i => v[i] - bu[i]).ToArray();
            double g = 0.5 * r.Sum(x => x * x), h = 2 * g;
            var fu = u.Select(x => q.C * x).ToArray();
            var fv = Enumerable.Range(0, 3).Select(i => v[i] - q.A[i]).ToArray();
            var hu = q.BtW(r).Select(x => -2 * x).ToArray();
            var hv = r.Select(x => 2 * x).ToArray();
            double hh = hu.Sum(x => x * x) + hv.Sum(x => x * x);
            double hf = hu.Zip(fu, (a, b) => a * b).Sum() + hv.Zip(fv, (a, b) => a * b).Sum();
            double violation = h - o.Epsilon;
            double lambda = Math.Max(0, (o.Alpha * violation - hf) / hh);
            double derived = o.StepSize ?? o.StepScale / (s.Upper + 2 * lambda * s.Lower * s.Lower);
            bool search = o.Backtracking && o.StepSize is null;
            double eta = search && !double.IsNaN(accepted) ? Math.Max(2 * accepted, derived) : derived;
            var du = Enumerable.Range(0, 2).Select(j => -fu[j] - lambda * hu[j]).ToArray();
            var dv = Enumerable.Range(0, 3).Select(i => -fv[i] - lambda * hv[i]).ToArray();
            var next = Enumerable.Range(0, 2).Select(j => Math.Clamp(u[j] + eta * du[j], q.Lo, q.Hi)).ToArray();
            double sumU = Enumerable.Range(0, 2).Sum(j => Math.Pow((u[j] - next[j]) / eta, 2)), sumV = dv.Sum(x => x * x);
            double kkt = sumU + sumV + Math.Pow(Math.Max(0, violation), 2) + Math.Pow(lambda * violation, 2);
            evaluations++;
            records.Add(new IterationRecord(k, 0, lambda, eta, f, g, 0, f + lambda * violation, Math.Sqrt(sumU + sumV), Math.Sqrt(sumU),
                Math.Sqrt(sumV), Math.Sqrt(h), 0, 3, kkt));
            counts.Add(new SolverCounts(k, evaluations, 0, 0, backtracks, 2 * (k + 1)));
            if (k == Iterations) return (records, counts);
            if (!search)
            {
                next.CopyTo(u, 0);
                for (int i = 0; i < 3; i++) v[i] += eta * dv[i];
                continue;
            }
            // Armijo on the Lagrangian f + λ_k h, trial η, η/2, … never below the derived step, which is always taken.
            double merit = f + lambda * h;
            for (double trial = eta; ; trial = Math.Max(0.5 * trial, derived))
            {
                var tu = Enumerable.Range(0, 2).Select(j => Math.Clamp(u[j] + trial * du[j], q.Lo, q.Hi)).ToArray();
                var tv = Enumerable.Range(0, 3).Select(i => v[i] + trial * dv[i]).ToArray();
                var tbu = q.Bu(tu);
                double th = Enumerable.Range(0, 3).Sum(i => Math.Pow(tv[i] - tbu[i], 2));
                double moved = Enumerable.Range(0, 2).Sum(j => Math.Pow(tu[j] - u[j], 2)) + Enumerable.Range(0, 3).Sum(i => Math.Pow(tv[i] - v[i], 2));
                evaluations++;
                if (trial <= derived || q.Upper(tu, tv, default, default) + lambda * th <= merit - 1e-4 * moved / trial)
                {
                    tu.CopyTo(u, 0);
                    tv.CopyTo(v, 0);
                    accepted = trial;
                    break;
                }
                backtracks++;
            }
        }
    }

    public static TheoryData<string> Names => new(["derived", "fixed", "backtracking", "backtracking, α = 3, scale 0.5"]);

    private static RxgfOptions Options(string name) => name switch
    {
        "derived" => new RxgfOptions { Epsilon = 0.05, Backtracking = false, KktTolerance = null, MaxIterations = Iterations },
        "fixed" => new RxgfOptions { Epsilon = 0.05, StepSize = 0.02, KktTolerance = null, MaxIterations = Iterations },
        "backtracking" => new RxgfOptions { Epsilon = 0.05, KktTolerance = null, MaxIterations = Iterations },
        _ => new RxgfOptions { Epsilon = 0.05, Alpha = 3, StepScale = 0.5, KktTolerance = null, MaxIterations = Iterations },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryRecordAndIterateMatchesThePlainLoop(string name)
    {
        var q = BoxQuadraticProblem.Small();
        var options = Options(name);
        double[] u0 = [0.2, -0.25], v0 = [1.5, -1, 2];
        var result = (RxgfResult)new Rxgf(q, new ExactLowerLevelOracle(q), options).Run(u0, v0);
        double[] u = (double[])u0.Clone(), v = (double[])v0.Clone();
        var (expected, counts) = Reference(q, options, u, v);
        Assert.Equal(StopReason.MaxIterations, result.StopReason);
        Assert.Equal(expected.Count, result.History.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            var (e, r) = (expected[k], result.History[k]);
            foreach (var (want, got, what) in new[]
            {
                (e.Gamma, r.Gamma, "λ"), (e.StepSize, r.StepSize, "η"), (e.Upper, r.Upper, "f"), (e.Lower, r.Lower, "g"),
                (e.LowerOptimal, r.LowerOptimal, "g*"), (e.Penalized, r.Penalized, "f + λ(h − ε)"), (e.GradientNorm, r.GradientNorm, "‖G‖"),
                (e.UpperBlockGradientNorm, r.UpperBlockGradientNorm, "‖G_u‖"), (e.LowerBlockGradientNorm, r.LowerBlockGradientNorm, "‖G_v‖"),
                (e.OracleResidual, r.OracleResidual, "√h"), (e.KktResidual, r.KktResidual, "KKT²"),
            })
                Assert.True(Math.Abs(want - got) <= 1e-11 * Math.Max(1, Math.Abs(want)), $"{name}, k = {k}: {what} = {got:R}, plain loop {want:R}");
            Assert.Equal(e.Rank, r.Rank);
            Assert.Equal(counts[k], r.Counts);
        }
        for (int j = 0; j < 2; j++) Assert.Equal(u[j], result.U[j], 1e-12);
        for (int i = 0; i < 3; i++) Assert.Equal(v[i], result.V[i], 1e-12);
        Assert.Equal(0.05, result.Epsilon);
        Assert.Equal(expected[^1].Gamma, result.Multiplier, 1e-11 * expected[^1].Gamma);
        Assert.Equal(expected[^1].KktResidual, result.KktResidual, 1e-11 * expected[^1].KktResidual);
        Assert.True(expected.Any(x => x.Gamma > 0), "the constraint must be active somewhere for the test to mean anything");
        if (name == "backtracking") Assert.True(counts[^1].Backtracks > 0, "no trial was rejected");
    }

    [Fact]
    public void TheKktRuleStopsAtTheFirstPointWhoseResidualIsAtMostTheTolerance()
    {
        var q = BoxQuadraticProblem.Small();
        var free = new Rxgf(q, new ExactLowerLevelOracle(q), Options("derived")).Run([0.2, -0.25], [1.5, -1, 2]);
        double at3 = free.History[3].KktResidual;
        Assert.True(Enumerable.Range(0, 3).All(k => free.History[k].KktResidual > at3), "the residual must fall to k = 3 for this test");
        var boundary = new Rxgf(q, new ExactLowerLevelOracle(q), Options("derived") with { KktTolerance = at3 }).Run([0.2, -0.25], [1.5, -1, 2]);
        Assert.Equal((StopReason.Converged, ConvergenceCriteria.Kkt, 3), (boundary.StopReason, boundary.Converged, boundary.Iterations));
        var below = new Rxgf(q, new ExactLowerLevelOracle(q), Options("derived") with { KktTolerance = Math.BitDecrement(at3) }).Run([0.2, -0.25], [1.5, -1, 2]);
        Assert.NotEqual(3, below.Iterations);
    }

    [Theory]
    [InlineData(true, 6, 6)]
    [InlineData(false, 4, 3)]
    public void GStarIsMeasuredOnlyWhereRecordedUnlessTheOracleMustTrackU(bool tracking, int calls, int observed)
    {
        // LogEvery = 2 over 5 steps: points 0, 2, 4 are logged and 5 is the last. An exact reporting oracle is asked there
        // only (4 calls); an iterative one (warm-started, so it must follow u) at every point (6), and then every point is
        // complete for the observer.
        var q = BoxQuadraticProblem.Small();
        var oracle = new OffsetOracle(q, [0, 0, 0], steps: 2, exact: !tracking);
        int seen = 0;
        var result = new Rxgf(q, oracle, Options("derived") with
        {
            LogEvery = 2, Observer = (in IterationRecord r, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => seen++,
        }).Run([0.2, -0.25], [1.5, -1, 2]);
        Assert.Equal(calls, oracle.Calls);
        Assert.Equal(observed, seen);
        Assert.Equal([0, 2, 4, 5], result.History.Records.ToArray().Select(r => r.Iteration));
        Assert.All(result.History.Records.ToArray(), r => Assert.Equal(0, r.LowerOptimal));
        Assert.Equal(2, result.Final.OracleSteps);
    }

    [Fact]
    public void ALocalSmoothnessEstimateIsRetakenAfterTheFirstPoint()
    {
        var q = BoxQuadraticProblem.Small();
        var local = new BoxQuadraticProblem(q.B, 2, 3, q.A, q.C, q.Lo, q.Hi, q.Given with { IsLocal = true });
        new Rxgf(local, new ExactLowerLevelOracle(local), Options("derived")).Run([0.2, -0.25], [1.5, -1, 2]);
        new Rxgf(q, new ExactLowerLevelOracle(q), Options("derived")).Run([0.2, -0.25], [1.5, -1, 2]);
        Assert.Equal(1 + Iterations, local.SmoothnessCalls); // Init, then points 1 … 5 (point 0 uses Init's)
        Assert.Equal(1, q.SmoothnessCalls);
    }
}
