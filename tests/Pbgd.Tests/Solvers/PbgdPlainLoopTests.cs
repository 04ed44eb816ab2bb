using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// PBGD-J and PBGD-B with the papers' fixed-step rule (docs/algorithms.md §3) against a plain-loop reimplementation written
/// here from the formulas, on a tiny box-constrained quadratic: every record (γ, α, f, g, g*, L_γ, the gradient-mapping
/// norms, the oracle's residual), the iterates and the exact work counts.
public sealed class PbgdPlainLoopTests
{
    private const int Iterations = 4;

    internal sealed record Case(string Algorithm, string VStep, PenaltySchedule Penalty, double? Step, double Scale, bool InverseGamma,
        bool Offset, bool UpperBlock, int LowerSteps = 1, double UpperInU = 0.4);

    public static TheoryData<string> Names => new(Cases.Keys);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["J derived, exact oracle"] = new("J", "", PenaltySchedule.Constant(2), null, 0.9, false, false, false),
        ["J derived, ramp, 1/γ, offset oracle"] = new("J", "", PenaltySchedule.LinearRamp(0.5, 3, 3), null, 1.3, true, true, false),
        ["J fixed step, offset oracle"] = new("J", "", PenaltySchedule.Constant(3), 0.05, 1, false, true, false),
        ["B exact, u-block, offset oracle"] = new("B", "exact", PenaltySchedule.Constant(2), null, 0.8, false, true, true),
        ["B exact, joint bound, ramp, 1/γ"] = new("B", "exact", PenaltySchedule.LinearRamp(0.5, 3, 3), null, 1.1, true, false, false),
        ["B exact, u-block, ramp, 1/γ"] = new("B", "exact", PenaltySchedule.LinearRamp(0.5, 3, 3), null, 1.1, true, true, true),
        ["B exact, no u-curvature at γ = 0"] = new("B", "exact", PenaltySchedule.LinearRamp(0, 2, 2), null, 1, true, false, true, UpperInU: 0),
        ["B exact, u-block, fixed step"] = new("B", "exact", PenaltySchedule.Constant(2), 0.07, 1, false, false, true),
        ["B gradient v-step (no capability)"] = new("B", "hidden", PenaltySchedule.Constant(2), null, 0.9, false, true, false, LowerSteps: 3),
        ["B gradient v-step (option off), fixed"] = new("B", "off", PenaltySchedule.Constant(1.5), 0.04, 1, false, false, false, LowerSteps: 2),
    };

    private static readonly double[] Delta = [0.1, -0.05, 0.2];

    private static BoxQuadraticProblem Problem(Case c)
    {
        var p = BoxQuadraticProblem.Small(c.UpperBlock);
        var s = p.Given with { UpperInU = c.UpperBlock ? c.UpperInU : double.NaN };
        return new BoxQuadraticProblem(p.B, 2, 3, p.A, p.C, p.Lo, p.Hi, s) { OfferExactPenalized = c.VStep != "hidden" };
    }

    // The plain loop: the same iteration, from the formulas of docs/algorithms.md §3 and the problem's closed forms.
    private static List<IterationRecord> Reference(Case c, BoxQuadraticProblem q, double[] u, double[] v)
    {
        var records = new List<IterationRecord>();
        var s = q.Given;
        for (int k = 0; ; k++)
        {
            double gamma = c.Penalty.Gamma(k);
            double alpha = c.Step ?? c.Scale / (s.Upper + gamma * s.Lower);
            if (c.Algorithm == "B" && c.Step is null && c.UpperBlock && s.UpperInU + gamma * s.LowerInU > 0)
                alpha = c.Scale / (s.UpperInU + gamma * s.LowerInU);
            if (c.InverseGamma) alpha *= Math.Min(1, 1 / gamma);
            if (c.Algorithm == "B" && c.VStep == "exact")
                for (int i = 0; i < 3; i++) v[i] = (q.A[i] + gamma * q.Bu(u)[i]) / (1 + gamma);
            else if (c.Algorithm == "B")
            {
                double alphaV = c.Step ?? c.Scale / (s.Upper + gamma * s.LowerInV);
                for (int t = 0; t < c.LowerSteps; t++)
                {
                    var bu0 = q.Bu(u);
                    var d = Enumerable.Range(0, 3).Select(i => v[i] - q.A[i] + gamma * (v[i] - bu0[i])).ToArray();
                    for (int i = 0; i < 3; i++) v[i] -= alphaV * d[i];
                }
            }
            var bu = q.Bu(u);
            var omega = Enumerable.Range(0, 3).Select(i => bu[i] + (c.Offset ? Delta[i] : 0)).ToArray();
            double f = 0.5 * Enumerable.Range(0, 3).Sum(i => Math.Pow(v[i] - q.A[i], 2)) + 0.5 * q.C * (u[0] * u[0] + u[1] * u[1]);
            double g = 0.5 * Enumerable.Range(0, 3).Sum(i => Math.Pow(v[i] - bu[i], 2));
            double gStar = 0.5 * Enumerable.Range(0, 3).Sum(i => Math.Pow(omega[i] - bu[i], 2));
            // ∇_u g(u, v) − ∇_u g(u, ω) = −Bᵀ(v − Bu) + Bᵀ(ω − Bu) = −Bᵀ(v − ω).
            var btvw = q.BtW(Enumerable.Range(0, 3).Select(i => v[i] - omega[i]).ToArray());
            var du = Enumerable.Range(0, 2).Select(j => q.C * u[j] - gamma * btvw[j]).ToArray();
            var dv = Enumerable.Range(0, 3).Select(i => v[i] - q.A[i] + gamma * (v[i] - bu[i])).ToArray();
            var next = Enumerable.Range(0, 2).Select(j => Math.Clamp(u[j] - alpha * du[j], q.Lo, q.Hi)).ToArray();
            double mapping = Enumerable.Range(0, 2).Sum(j => Math.Pow((u[j] - next[j]) / alpha, 2)), normV = Math.Sqrt(dv.Sum(x => x * x));
            records.Add(new IterationRecord(k, 0, gamma, alpha, f, g, gStar, f + gamma * (g - gStar), Math.Sqrt(mapping + normV * normV),
                Math.Sqrt(mapping), normV, c.Offset ? Math.Sqrt(Delta.Sum(x => x * x)) : 0, c.Offset ? 7 : 0, c.Offset ? 2 : 3));
            if (k == Iterations) return records;
            next.CopyTo(u, 0);
            if (c.Algorithm == "J") for (int i = 0; i < 3; i++) v[i] -= alpha * dv[i];
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryRecordAndIterateMatchesThePlainLoop(string name)
    {
        var c = Cases[name];
        var q = Problem(c);
        double[] u0 = [0.9, -0.2], v0 = [0.3, 0.1, -0.4];
        ILowerLevelOracle oracle = c.Offset ? new OffsetOracle(q, Delta, 7, fullRank: false) : new ExactLowerLevelOracle(q);
        var options = new PbgdOptions
        {
            Penalty = c.Penalty, StepSize = c.Step, StepScale = c.Scale, ScaleStepByInverseGamma = c.InverseGamma, MaxIterations = Iterations,
            ExactLowerStep = c.VStep != "off", LowerStepIterations = c.LowerSteps,
        };
        PbgdSolver solver = c.Algorithm == "J" ? new PbgdJacobi(q, oracle, options) : new PbgdBlockwise(q, oracle, options);
        var result = (PbgdResult)solver.Run(u0, v0);

        double[] u = [Math.Clamp(u0[0], q.Lo, q.Hi), Math.Clamp(u0[1], q.Lo, q.Hi)], v = (double[])v0.Clone();
        var expected = Reference(c, q, u, v);
        Assert.Equal(StopReason.MaxIterations, result.StopReason);
        Assert.Equal(expected.Count, result.History.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            var (e, r) = (expected[k], result.History[k]);
            Assert.Equal(k, r.Iteration);
            foreach (var (want, got, what) in new[]
            {
                (e.Gamma, r.Gamma, "γ"), (e.StepSize, r.StepSize, "α"), (e.Upper, r.Upper, "f"), (e.Lower, r.Lower, "g"),
                (e.LowerOptimal, r.LowerOptimal, "g*"), (e.Penalized, r.Penalized, "L_γ"), (e.GradientNorm, r.GradientNorm, "‖G‖"),
                (e.UpperBlockGradientNorm, r.UpperBlockGradientNorm, "‖G_u‖"), (e.LowerBlockGradientNorm, r.LowerBlockGradientNorm, "‖∇_v L‖"),
                (e.OracleResidual, r.OracleResidual, "‖∇_v g(u, ω)‖"),
            })
                Assert.True(Math.Abs(want - got) <= 1e-12 * Math.Max(1, Math.Abs(want)), $"{name}, k = {k}: {what} = {got:R}, plain loop {want:R}");
            Assert.Equal(e.OracleSteps, r.OracleSteps);
            Assert.Equal(e.Rank, r.Rank);
            // Work up to and including this point: k steps, k + 1 evaluations, each with its oracle call and v-step.
            int exactPerEvaluation = (c.Offset ? 0 : 1) + (c.Algorithm == "B" && c.VStep == "exact" ? 1 : 0);
            int innerPerEvaluation = (c.Offset ? 7 : 0) + (c.Algorithm == "B" && c.VStep != "exact" ? c.LowerSteps : 0);
            Assert.Equal(new SolverCounts(k, k + 1, (k + 1) * exactPerEvaluation, (k + 1) * innerPerEvaluation, 0, 0), r.Counts);
        }
        // The iterate the last record was measured at (u and PBGD-B's v after its v-step) is the one returned.
        for (int j = 0; j < 2; j++) Assert.Equal(u[j], result.U[j], 1e-13);
        for (int i = 0; i < 3; i++) Assert.Equal(v[i], result.V[i], 1e-13);
        Assert.Equal(expected[^1].Gamma, result.FinalGamma);
        Assert.Equal(q.Given, result.Smoothness);
        Assert.Equal(c.Offset, result.RankDeficientSeen);
        Assert.Equal(!c.Offset, result.OracleIsExact);
        Assert.Equal(c.Offset ? "offset" : "exact", result.Oracle);
        Assert.Equal(c.Algorithm == "J" ? "PBGD-J" : "PBGD-B", result.Algorithm);
        Assert.Equal(1, q.SmoothnessCalls); // a global estimate is taken once, at the start
    }

    [Fact]
    public void ALocalSmoothnessEstimateIsRetakenAtEveryPointAndAGlobalOneOnce()
    {
        var q = BoxQuadraticProblem.Small();
        var local = new BoxQuadraticProblem(q.B, 2, 3, q.A, q.C, q.Lo, q.Hi, q.Given with { IsLocal = true });
        var options = new PbgdOptions { Penalty = PenaltySchedule.Constant(2), MaxIterations = 3 };
        new PbgdJacobi(local, new ExactLowerLevelOracle(local), options).Run([0.1, 0.1], [0, 0, 0]);
        new PbgdJacobi(q, new ExactLowerLevelOracle(q), options).Run([0.1, 0.1], [0, 0, 0]);
        Assert.Equal(1 + 4, local.SmoothnessCalls); // Init, then each of the 4 measured points
        Assert.Equal(1, q.SmoothnessCalls);
    }

    [Fact]
    public void PbgdBSaysWhetherItsVStepIsExact()
    {
        var q = BoxQuadraticProblem.Small();
        var oracle = new ExactLowerLevelOracle(q);
        Assert.True(new PbgdBlockwise(q, oracle).ExactLowerStep);
        Assert.False(new PbgdBlockwise(q, oracle, new PbgdOptions { ExactLowerStep = false }).ExactLowerStep);
        Assert.False(new PbgdBlockwise(new BoxQuadraticProblem(q.B, 2, 3, q.A, q.C, q.Lo, q.Hi, q.Given) { OfferExactPenalized = false }, oracle).ExactLowerStep);
    }
}
