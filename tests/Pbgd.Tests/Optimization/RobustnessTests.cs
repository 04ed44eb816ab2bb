using Pbgd.Optimization;
using Xunit.Abstractions;

namespace Pbgd.Tests.Optimization;

/// Failure handling: non-finite trial values, a gradient that disagrees with f, a non-finite start, limits,
/// cancellation, re-evaluation, and the bookkeeping of evaluations.
public class RobustnessTests(ITestOutputHelper output)
{
    public static TheoryData<string> Methods() => ["L-BFGS", "SPG"];

    /// The barrier objective is +∞ for x_i ≥ 1 and its minimiser x_i* = 2 − √(1 + μ) ≈ 0.995 sits next to that
    /// wall, so quasi-Newton and BB steps overshoot into it. The run must still converge to x* (closed form), and
    /// the objective must have been asked at infinite points that the minimiser rejected.
    [Theory]
    [MemberData(nameof(Methods))]
    public void InfiniteTrialValuesAreRejectedAndTheRunStillConverges(string method)
    {
        var objective = new BarrierObjective(dimension: 4, mu: 0.01);
        var minimizer = Minimizers.Create(method, objective, Box.Unbounded(4), new BoxMinimizerOptions { GradientTolerance = 1e-10 });
        var x = new double[4];
        var result = minimizer.Minimize(new double[4], x);
        output.WriteLine($"{method}: {result}, infinite returns {objective.InfiniteReturns}");
        Assert.Equal(StopReason.Converged, result.Reason);
        Assert.True(Minimizers.MaxAbsDifference(x, Enumerable.Repeat(objective.Solution, 4).ToArray()) <= 1e-9);
        Assert.True(objective.InfiniteReturns > 0, "the test did not provoke an infinite value");
        Assert.True(result.Counts.Backtracks >= objective.InfiniteReturns, "every infinite trial is a rejected trial");
        Assert.True(double.IsFinite(result.Value));
    }

    /// With −∇f reported as the gradient every direction goes uphill: the line search must give up within its
    /// budget and hand back the start point untouched (no accepted step, no silent creeping).
    [Theory]
    [MemberData(nameof(Methods))]
    public void WrongGradientStopsWithLineSearchFailedAtTheStart(string method)
    {
        var options = new BoxMinimizerOptions { MaxBacktracks = 30 };
        var objective = new Counting(new NegatedGradient(new Rosenbrock(2)));
        var minimizer = Minimizers.Create(method, objective, Box.Unbounded(2), options);
        var start = Rosenbrock.Start(2);
        var x = new double[2];
        var result = minimizer.Minimize(start, x);
        output.WriteLine($"{method}: {result}");
        Assert.Equal(StopReason.LineSearchFailed, result.Reason);
        Assert.Equal(start, x);
        Assert.Equal(0, result.Counts.Iterations);
        Assert.InRange(result.Counts.Backtracks, 1, options.MaxBacktracks + 1);
        Assert.Equal(objective.Calls, result.Counts.Evaluations);
        Assert.Equal(24.2, result.Value, 12);   // f(−1.2, 1) = 100·(1 − 1.44)² + 2.2² = 24.2
    }

    /// Every objective call is counted: the wrapper's own count equals Evaluations, which equals
    /// 1 + Iterations + Backtracks + ExtraEvaluations.
    [Theory]
    [MemberData(nameof(Methods))]
    public void EvaluationCountsAddUp(string method)
    {
        var objective = new Counting(new Rosenbrock(10));
        var minimizer = Minimizers.Create(method, objective, Box.Uniform(10, -0.5, 0.8), new BoxMinimizerOptions { MaxIterations = 200 });
        minimizer.Init(Rosenbrock.Start(10));
        minimizer.Run();
        minimizer.Evaluate(new double[10], new double[10]);
        minimizer.Reevaluate();
        var c = minimizer.Counts;
        Assert.Equal(objective.Calls, c.Evaluations);
        Assert.Equal(2, c.ExtraEvaluations);
        Assert.Equal(c.Evaluations, 1 + c.Iterations + c.Backtracks + c.ExtraEvaluations);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void NonFiniteStartValueIsReportedAsDiverged(string method)
    {
        var minimizer = Minimizers.Create(method, new BarrierObjective(2, 0.1), Box.Unbounded(2), new BoxMinimizerOptions());
        minimizer.Init([2.0, 0.0]);
        Assert.Equal(StopReason.Diverged, minimizer.Status);
        var result = minimizer.Run();
        Assert.Equal(StopReason.Diverged, result.Reason);
        Assert.Equal(1, result.Counts.Evaluations);
    }

    /// A finite value with a non-finite gradient entry is no usable point either: diverged at the start, with no
    /// projected gradient.
    [Theory]
    [MemberData(nameof(Methods))]
    public void NonFiniteGradientAtAFiniteValueIsReportedAsDiverged(string method)
    {
        var minimizer = Minimizers.Create(method, new Tabulated(new() { [0.0] = 1 }, slope: double.NaN), Box.Unbounded(1), new BoxMinimizerOptions());
        minimizer.Init([0.0]);
        Assert.Equal(StopReason.Diverged, minimizer.Status);
        Assert.True(double.IsNaN(minimizer.ProjectedGradientNorm));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void IterationLimitAndCancellationStopBetweenIterations(string method)
    {
        var minimizer = Minimizers.Create(method, new Rosenbrock(10), Box.Unbounded(10), new BoxMinimizerOptions { MaxIterations = 7 });
        minimizer.Init(Rosenbrock.Start(10));
        Assert.Equal(StopReason.Cancelled, minimizer.Run(new CancellationToken(canceled: true)).Reason);
        Assert.Equal(0, minimizer.Counts.Iterations);
        var result = minimizer.Run();
        Assert.Equal(StopReason.MaxIterations, result.Reason);
        Assert.Equal(7, result.Counts.Iterations);
        Assert.Equal(StopReason.MaxIterations, minimizer.Step());
        Assert.Equal(7, minimizer.Counts.Iterations);
    }

    /// The start is projected onto the box, and a run on a box whose bounds cut the valley ends on the bound
    /// with the KKT sign there: Rosenbrock on x₀ ≤ 0.5 has its constrained minimiser at (0.5, 0.25)
    /// (x₁ = x₀² and the free derivative 2(x₀ − 1) < 0 pushes against the bound).
    [Theory]
    [MemberData(nameof(Methods))]
    public void BoundsAreRespectedAndActiveAtTheSolution(string method)
    {
        var box = new Box([double.NegativeInfinity, double.NegativeInfinity], [0.5, double.PositiveInfinity]);
        var minimizer = Minimizers.Create(method, new Rosenbrock(2), box, new BoxMinimizerOptions { GradientTolerance = 1e-10, MaxIterations = 5000 });
        var observed = new List<double[]>();
        minimizer.Observer = (in MinimizerProgress _, ReadOnlySpan<double> point, ReadOnlySpan<double> _) => observed.Add(point.ToArray());
        var x = new double[2];
        var result = minimizer.Minimize([3.0, -2.0], x);
        Assert.Equal(StopReason.Converged, result.Reason);
        Assert.All(observed, p => Assert.True(box.Contains(p)));
        Assert.Equal(0.5, x[0]);
        Assert.Equal(0.25, x[1], 1e-9);
        Assert.True(minimizer.Gradient[0] < 0);
    }

    /// Re-evaluation after the objective changed (a new target, as a new penalty γ changes φ_γ) lets the same
    /// minimiser continue to the new solution.
    [Theory]
    [MemberData(nameof(Methods))]
    public void ReevaluateContinuesOnAChangedObjective(string method)
    {
        var target = new ShiftedSquares([1.0, 2.0, 3.0]);
        var minimizer = Minimizers.Create(method, target, Box.Unbounded(3), new BoxMinimizerOptions { GradientTolerance = 1e-10 });
        minimizer.Init([0.0, 0.0, 0.0]);
        Assert.Equal(StopReason.Converged, minimizer.Run().Reason);
        target.Center = [-1.0, 0.5, 4.0];
        minimizer.Reevaluate(resetMemory: true);
        Assert.Equal(StopReason.None, minimizer.Status);
        Assert.Equal(StopReason.Converged, minimizer.Run().Reason);
        Assert.True(Minimizers.MaxAbsDifference(minimizer.Point, target.Center) <= 1e-9);
    }

    /// A memory whose recursion overflows (pairs and scale of 1e300, restored from a crafted but well-formed
    /// state) yields no usable direction: the minimiser must clear it, count the reset, and still take a descent
    /// step from the same point.
    [Fact]
    public void OverflowingMemoryIsResetAndASteepestDescentStepTaken()
    {
        const int n = 4;
        var minimizer = new ProjectedLbfgs(new Rosenbrock(n), Box.Unbounded(n), new BoxMinimizerOptions { Memory = 2 });
        minimizer.Init(Rosenbrock.Start(n));
        double start = minimizer.Value;
        var state = (ProjectedLbfgsState)minimizer.SaveState();
        var steps = new double[2 * n];
        var changes = new double[2 * n];
        Array.Fill(steps, 1e300);
        Array.Fill(changes, 1e-300);
        minimizer.Restore(state with { Steps = steps, GradientChanges = changes, Newest = 1, Count = 2, Scaling = 1e300 });
        Assert.Equal(StopReason.None, minimizer.Step());
        Assert.Equal(1, minimizer.Counts.MemoryResets);
        Assert.Equal(1, minimizer.Counts.Iterations);
        Assert.True(minimizer.Value < start, $"f went from {start} to {minimizer.Value}");
    }

    /// The secondary tests stop earlier than a tight gradient tolerance and say which test fired.
    [Fact]
    public void FunctionAndRelativeGradientTestsReportTheirCriterion()
    {
        var tight = Run(new BoxMinimizerOptions { GradientTolerance = 1e-12 });
        var function = Run(new BoxMinimizerOptions { GradientTolerance = 1e-12, FunctionTolerance = 1e-4 });
        var relative = Run(new BoxMinimizerOptions { GradientTolerance = 0, RelativeGradientTolerance = 1e-3 });
        Assert.Equal(ConvergenceCriterion.ProjectedGradient, tight.Criterion);
        Assert.Equal(ConvergenceCriterion.FunctionDecrease, function.Criterion);
        Assert.Equal(ConvergenceCriterion.RelativeProjectedGradient, relative.Criterion);
        Assert.True(function.Counts.Iterations < tight.Counts.Iterations);
        Assert.True(relative.Counts.Iterations < tight.Counts.Iterations);
        Assert.True(relative.ProjectedGradientNorm <= 1e-3 * 215.6 + 1e-12);   // ‖∇f(−1.2, 1)‖∞ = 215.6

        static MinimizationResult Run(BoxMinimizerOptions options)
        {
            var minimizer = new ProjectedLbfgs(new Rosenbrock(2), Box.Unbounded(2), options);
            return minimizer.Minimize(Rosenbrock.Start(2), new double[2]);
        }
    }

    /// f(x) = Σ w_i (x_i − c_i)² with weights 1, 10, 100; minimiser c.
    private sealed class ShiftedSquares(double[] center) : IDifferentiableObjective
    {
        public double[] Center { get; set; } = center;
        public int Dimension => Center.Length;

        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
        {
            double f = 0, w = 1;
            for (int i = 0; i < x.Length; i++, w *= 10)
            {
                f += w * (x[i] - Center[i]) * (x[i] - Center[i]);
                gradient[i] = 2 * w * (x[i] - Center[i]);
            }
            return f;
        }
    }
}
