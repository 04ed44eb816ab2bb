using System.Text.Json.Nodes;
using Pbgd.LowerLevel;
using Pbgd.Schedules;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// PBGD's line-search upper steps (docs/algorithms.md §3a) on the tiny box quadratic and the scripted problem: the first
/// spectral step is the gradient rule's own step; every record's measures (the unit-step projected gradient, ‖∇_v L_γ‖,
/// the step length) against the formulas evaluated here at the observed point; the exactly stationary start and the failed
/// search; the refusal of a feasible set that is not a box; and a checkpoint's damaged line-search fields refused by name.
public sealed class LineSearchStepTests
{
    private const double Gamma = 2;

    // d = (∇_u L_γ, ∇_v L_γ) at (u, v) with the exact ω = Bu: (cu − γBᵀ(v − Bu), v − a + γ(v − Bu)).
    private static (double[] Du, double[] Dv) Gradient(BoxQuadraticProblem q, double[] u, double[] v, double gamma = Gamma)
    {
        var bu = q.Bu(u);
        var bt = q.BtW(Enumerable.Range(0, 3).Select(i => v[i] - bu[i]).ToArray());
        return (Enumerable.Range(0, 2).Select(j => q.C * u[j] - gamma * bt[j]).ToArray(),
            Enumerable.Range(0, 3).Select(i => v[i] - q.A[i] + gamma * (v[i] - bu[i])).ToArray());
    }

    private static double Norm(IEnumerable<double> x) => Math.Sqrt(x.Sum(t => t * t));

    private static (PbgdResult Result, List<(IterationRecord R, double[] U, double[] V)> Seen) Solve(BoxQuadraticProblem q, bool joint, UpperStepRule rule, int iterations,
        PenaltySchedule? penalty = null)
    {
        var seen = new List<(IterationRecord, double[], double[])>();
        var options = new PbgdOptions
        {
            Penalty = penalty ?? PenaltySchedule.Constant(Gamma), UpperStep = rule, MaxIterations = iterations,
            Observer = (in IterationRecord r, ReadOnlySpan<double> u, ReadOnlySpan<double> v) => seen.Add((r, u.ToArray(), v.ToArray())),
        };
        var oracle = new ExactLowerLevelOracle(q);
        PbgdSolver solver = joint ? new PbgdJacobi(q, oracle, options) : new PbgdBlockwise(q, oracle, options);
        return ((PbgdResult)solver.Run([0.2, -0.25], [1.5, -3, 2]), seen);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheFirstSpectralStepIsTheGradientRulesStep(bool joint)
    {
        // PBGD-J: α = 1/(ℓ_f + γℓ_g) on (u, v); PBGD-B (exact v-step): α = 1/(ℓ_f,u + γℓ_g,u) on u. The full trial is accepted.
        var q = BoxQuadraticProblem.Small(upperBlock: !joint);
        var (result, seen) = Solve(q, joint, UpperStepRule.SpectralGradient, 1);
        var s = q.Given;
        double alpha = joint ? 1 / (s.Upper + Gamma * s.Lower) : 1 / (s.UpperInU + Gamma * s.LowerInU);
        var (u0, v0) = (seen[0].U, seen[0].V);
        var (du, dv) = Gradient(q, u0, v0);
        var u1 = Enumerable.Range(0, 2).Select(j => Math.Clamp(u0[j] - alpha * du[j], q.Lo, q.Hi)).ToArray();
        var v1 = joint ? Enumerable.Range(0, 3).Select(i => v0[i] - alpha * dv[i]).ToArray() : q.Bu(u1).Select((b, i) => (q.A[i] + Gamma * b) / (1 + Gamma)).ToArray();
        for (int j = 0; j < 2; j++) Assert.Equal(u1[j], result.U[j], 1e-14);
        for (int i = 0; i < 3; i++) Assert.Equal(v1[i], result.V[i], 1e-14);
        Assert.True(u1.Any(x => x == q.Lo || x == q.Hi), "the step should reach the box for the projection to matter");
    }

    [Theory]
    [InlineData(true, UpperStepRule.Lbfgs, false)]
    [InlineData(false, UpperStepRule.Lbfgs, false)]
    [InlineData(true, UpperStepRule.SpectralGradient, false)]
    [InlineData(true, UpperStepRule.Lbfgs, true)]
    [InlineData(false, UpperStepRule.SpectralGradient, true)]
    public void EachRecordsMeasuresAreThoseOfItsPoint(bool joint, UpperStepRule rule, bool ramp)
    {
        // With a ramp (γ = 1, 2, 3, 3) each new γ changes the objective the step minimises: the point is measured again.
        var q = BoxQuadraticProblem.Small(upperBlock: !joint);
        var penalty = ramp ? PenaltySchedule.LinearRamp(1, 3, 2) : PenaltySchedule.Constant(Gamma);
        var (result, seen) = Solve(q, joint, rule, 3, penalty);
        Assert.Equal(StopReason.MaxIterations, result.StopReason);
        Assert.Equal(4, seen.Count);
        for (int k = 0; k < seen.Count; k++)
        {
            var (r, u, v) = seen[k];
            double gamma = penalty.Gamma(k);
            Assert.Equal(gamma, r.Gamma);
            var (du, dv) = Gradient(q, u, v, gamma);
            // The unit-step projected gradient ‖P(u − d_u) − u‖ and ‖d_v‖.
            double pu = Norm(Enumerable.Range(0, 2).Select(j => Math.Clamp(u[j] - du[j], q.Lo, q.Hi) - u[j])), pv = Norm(dv);
            Assert.Equal(pu, r.UpperBlockGradientNorm, 1e-12);
            Assert.Equal(pv, r.LowerBlockGradientNorm, 1e-12);
            Assert.Equal(Math.Sqrt(pu * pu + pv * pv), r.GradientNorm, 1e-12);
            double f = q.Upper(u, v, default, default), g = q.Lower(u, v, default, default);
            Assert.Equal(f + gamma * g, r.Penalized, 1e-12);
            // ‖x_k − x_{k−1}‖ over the minimiser's variables: (u, v) for PBGD-J, u for PBGD-B; 0 before the first step.
            double step = k == 0 ? 0 : Norm(u.Select((x, j) => x - seen[k - 1].U[j]).Concat(joint ? v.Select((x, i) => x - seen[k - 1].V[i]) : []));
            Assert.Equal(step, r.StepSize, 1e-12);
            Assert.Equal(new SolverCounts(k, r.Counts.Evaluations, r.Counts.Evaluations * (joint ? 1 : 2), 0, r.Counts.Backtracks, 0), r.Counts);
        }
        Assert.True(seen[^1].R.GradientNorm < seen[0].R.GradientNorm);
        Assert.Equal(result.Final.Iteration, seen[^1].R.Iteration);
    }

    private static PbgdJacobi Scripted(double[] script, double hi, int iterations)
    {
        var problem = new ScriptedProblem(script, hi);
        return new(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(1), UpperStep = UpperStepRule.SpectralGradient, MaxIterations = iterations,
        });
    }

    [Fact]
    public void AnExactlyStationaryStartStopsAsConvergedWithoutAStep()
    {
        // At u = hi the only descent direction (+u) leaves the box: the projected gradient is exactly 0.
        var result = Scripted([0, 1, 2, 3, 4], hi: 3, iterations: 10).Run([3.0], [0.0]);
        Assert.Equal((StopReason.Converged, ConvergenceCriteria.Gradient, 0), (result.StopReason, result.Converged, result.Iterations));
        Assert.Equal(0, result.Final.GradientNorm);
        Assert.Equal([3.0], result.U);
    }

    [Fact]
    public void ASearchThatFindsNoDecreaseStopsAtTheMeasuredPoint()
    {
        // f is flat while its gradient says −1: no trial along +u can satisfy Armijo.
        var solver = Scripted([5, 5, 5, 5], hi: 3, iterations: 10);
        var result = solver.Run([0.0], [0.0]);
        Assert.Equal((StopReason.LineSearchFailed, 0), (result.StopReason, result.Iterations));
        Assert.Equal([0.0], result.U);
        var state = solver.Init([0.0], [0.0]);
        var e = Assert.Throws<InvalidOperationException>(() => solver.Step(state));
        Assert.Contains("PBGD-J: the line search found no acceptable step from iteration 0", e.Message);
        Assert.Equal([0.0], state.U); // back at the measured point
        Assert.Equal(0, state.Iteration);
    }

    public static TheoryData<string> NotBoxes => new(["grid", "ball", "below", "above"]);

    [Theory]
    [MemberData(nameof(NotBoxes))]
    public void AFeasibleSetThatIsNotABoxIsRefusedByTheLineSearchSteps(string kind)
    {
        var q = BoxQuadraticProblem.Small();
        Projection project = kind switch
        {
            // A clamp at ±∞, then rounding to a grid: not a clamp at finite points.
            "grid" => u => { for (int j = 0; j < u.Length; j++) u[j] = Math.Round(Math.Clamp(u[j], -4, 4) * 2) / 2; },
            // The ball of radius 1: ±∞ project to NaN.
            "ball" => u => { double n = Math.Sqrt(u[0] * u[0] + u[1] * u[1]); if (n > 1) { u[0] /= n; u[1] /= n; } },
            // Bounded below, and −∞ projects to NaN (only).
            "below" => u => { for (int j = 0; j < u.Length; j++) u[j] = u[j] == double.NegativeInfinity ? double.NaN : Math.Max(u[j], -4); },
            // Bounded above, and +∞ projects to NaN (only).
            _ => u => { for (int j = 0; j < u.Length; j++) u[j] = u[j] == double.PositiveInfinity ? double.NaN : Math.Min(u[j], 4); },
        };
        var other = new BoxQuadraticProblem(q.B, 2, 3, q.A, q.C, q.Lo, q.Hi, q.Given) { Project = project };
        foreach (var rule in new[] { UpperStepRule.Lbfgs, UpperStepRule.SpectralGradient })
        {
            var solver = new PbgdBlockwise(other, new ExactLowerLevelOracle(other), new PbgdOptions { UpperStep = rule, MaxIterations = 2 });
            var e = Assert.Throws<ArgumentException>(() => solver.Run([0.1, 0.1], [0, 0, 0]));
            Assert.Equal("problem", e.ParamName);
            Assert.Contains("is not a box", e.Message);
        }
        // The gradient rule needs no box.
        Assert.Equal(2, new PbgdBlockwise(other, new ExactLowerLevelOracle(other), new PbgdOptions { MaxIterations = 2 }).Run([0.1, 0.1], [0, 0, 0]).Iterations);
    }

    private static (PbgdJacobi Solver, SolverCheckpoint At2, PbgdResult Full) Checkpointed()
    {
        var q = BoxQuadraticProblem.Small();
        SolverCheckpoint? at2 = null;
        var options = new PbgdOptions { Penalty = PenaltySchedule.Constant(Gamma), UpperStep = UpperStepRule.Lbfgs, MaxIterations = 4 };
        var full = (PbgdResult)new PbgdJacobi(q, new ExactLowerLevelOracle(q), options with
        {
            CheckpointEvery = 1, Checkpoint = c => { if (c.Iteration == 2 && c.Stopped is null) at2 = c; },
        }).Run([0.2, -0.25], [1.5, -1, 2]);
        return (new PbgdJacobi(q, new ExactLowerLevelOracle(q), options), at2!, full);
    }

    private static SolverCheckpoint Damage(SolverCheckpoint c, string field, JsonNode? value)
    {
        var state = c.SolverState!.DeepClone();
        state["upperStep"]![field] = value;
        return c with { SolverState = state };
    }

    public static TheoryData<string, string> Damages => new()
    {
        { "tightening=0", "upperStep.tightening is 0" },
        { "tightening=2", "upperStep.tightening is 2" },
        { "innerReference=-1", "upperStep.innerReference is -1" },
        { "innerReference=inf", "upperStep.innerReference is" },
        { "smallestReference=-1", "upperStep.smallestReference is -1" },
        { "minimizer=null", "upperStep.minimizer is missing" },
        { "minimizer=text", "upperStep.minimizer is not readable" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void ADamagedLineSearchFieldIsRefusedByName(string damage, string expected)
    {
        var (solver, at2, _) = Checkpointed();
        var damaged = damage switch
        {
            "tightening=0" => Damage(at2, "tightening", 0),
            "tightening=2" => Damage(at2, "tightening", 2),
            "innerReference=-1" => Damage(at2, "innerReference", -1),
            "innerReference=inf" => Damage(at2, "innerReference", "Infinity"),
            "smallestReference=-1" => Damage(at2, "smallestReference", -1),
            "minimizer=null" => Damage(at2, "minimizer", null),
            _ => Damage(at2, "minimizer", "text"),
        };
        var e = Assert.Throws<InvalidDataException>(() => solver.Resume(damaged));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void TheBoundaryValuesOfTheLineSearchFieldsResume()
    {
        // Tightening 1 (none yet), G NaN (no accepted point yet) or 0, smallest G 0 or +∞: all states a run can be in.
        var (solver, at2, full) = Checkpointed();
        Assert.Equal(1, at2.SolverState!["upperStep"]!["tightening"]!.GetValue<double>());
        foreach (var damaged in new[]
        {
            at2, Damage(at2, "innerReference", "NaN"), Damage(at2, "innerReference", 0), Damage(at2, "smallestReference", 0),
            Damage(at2, "smallestReference", "Infinity"),
        })
        {
            var resumed = solver.Resume(damaged);
            Assert.Equal(full.U, resumed.U); // an exact oracle and no v-step: the inner tolerances do not enter
            Assert.Equal(full.Counts, resumed.Counts);
        }
    }
}
