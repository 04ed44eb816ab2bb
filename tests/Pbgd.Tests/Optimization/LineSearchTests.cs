using Pbgd.Optimization;

namespace Pbgd.Tests.Optimization;

/// The line searches on one- and two-variable problems whose every trial can be worked out by hand (mutation
/// testing, issue 16): where L-BFGS's straight segment ends, when a search gives up without evaluating, and the
/// trapezoid rule that replaces f's differences below its resolution.
public class LineSearchTests
{
    /// f = ½|x − c|² with c = (±100, 0) from x = 0, γ₀ = 0.02: d = (∓2, 0), so x₀(α) = ±2α meets its bound ±3 at
    /// α = 1.5 (x₁ has d₁ = 0 and finite bounds: no breakpoint). The Wolfe search tries α = 1 (f still falls
    /// steeply: |φ'(1)| = 196 &gt; c₂·200), extrapolates towards the line minimiser α = 50, is capped at the
    /// breakpoint 1.5 and accepts it there: two trials, one backtrack, the point on the bound (where the projected
    /// gradient vanishes: converged).
    [Theory]
    [InlineData(100.0)]
    [InlineData(-100.0)]
    public void WolfeSearchStopsAtTheFirstBreakpoint(double center)
    {
        double sign = Math.Sign(center);
        var box = sign > 0 ? new Box([double.NegativeInfinity, -1.0], [3.0, 1.0]) : new Box([-3.0, -1.0], [double.PositiveInfinity, 1.0]);
        var minimizer = new ProjectedLbfgs(new WeightedSquares([1.0, 1.0], [center, 0.0]), box, new BoxMinimizerOptions { InitialStep = 0.02 });
        var steps = new List<double>();
        minimizer.Observer = (in MinimizerProgress p, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => steps.Add(p.StepLength);
        minimizer.Init([0.0, 0.0]);
        Assert.Equal(StopReason.Converged, minimizer.Step());
        Assert.Equal([1.5], steps);
        Assert.Equal([3 * sign, 0.0], minimizer.Point.ToArray());
        Assert.Equal(new MinimizerCounts(1, 3, 1, 0, 0, 0), minimizer.Counts);
    }

    /// f = 2⁻⁶⁰⁰x: ∇f ≠ 0 but gᵀd underflows to 0 for any d of the gradient's size, so no step can be measured.
    /// L-BFGS resets once and gives up, SPG gives up at once; neither evaluates a trial point (the table knows
    /// only x = 0) and the start is kept.
    [Theory]
    [InlineData("L-BFGS", 1)]
    [InlineData("SPG", 0)]
    public void SearchGivesUpWithoutEvaluatingWhenTheSlopeUnderflowsToZero(string method, int resets)
    {
        var objective = new Tabulated(new() { [0.0] = 0 }, slope: Math.ScaleB(1, -600));
        var options = new BoxMinimizerOptions { InitialStep = 1, GradientTolerance = 0 };
        var minimizer = Minimizers.Create(method, objective, Box.Unbounded(1), options);
        minimizer.Init([0.0]);
        Assert.Equal(StopReason.None, minimizer.Status);
        Assert.Equal(StopReason.LineSearchFailed, minimizer.Step());
        Assert.Equal(0.0, minimizer.Point[0]);
        Assert.Equal(new MinimizerCounts(0, 1, 0, 0, resets, 0), minimizer.Counts);
    }

    /// f = 0 at the start and +∞ at every other point, ∇f = 1, MaxBacktracks = 2: each search evaluates exactly
    /// 1 + 2 trials (α = 1, ½, ¼ after a non-finite value) and fails at the start. L-BFGS's Wolfe search runs on
    /// the unbounded line; on [−½, ∞) the first breakpoint is ½ &lt; 1, so its projected-path search runs.
    [Theory]
    [InlineData("L-BFGS", double.NegativeInfinity)]
    [InlineData("L-BFGS", -0.5)]
    [InlineData("SPG", double.NegativeInfinity)]
    public void SearchStopsAfterItsTrialBudget(string method, double lower)
    {
        var recorder = new Recording(new Tabulated(new() { [0.0] = 0 }, slope: 1, elsewhere: double.PositiveInfinity));
        var options = new BoxMinimizerOptions { InitialStep = 1, MaxBacktracks = 2 };
        var minimizer = Minimizers.Create(method, recorder, new Box([lower], [double.PositiveInfinity]), options);
        minimizer.Init([0.0]);
        Assert.Equal(StopReason.LineSearchFailed, minimizer.Step());
        Assert.Equal(0.0, minimizer.Point[0]);
        Assert.Equal(new MinimizerCounts(0, 4, 3, 0, 0, 0), minimizer.Counts);
        Assert.Equal([0.0, Math.Max(-1, lower), -0.5, -0.25], recorder.Points.Select(p => p[0]));
    }

    /// The same wall from x = 1 with a step of 2⁻⁵⁰: the trials 1 − 2⁻⁵⁰, 1 − 2⁻⁵¹, 1 − 2⁻⁵², 1 − 2⁻⁵³ are
    /// rejected and the fifth, 1 − 2⁻⁵⁴, rounds to 1 itself: the search stops there without evaluating it (4
    /// backtracks, not the budget of 30). L-BFGS's path search (lower bound 1 − 2⁻⁵¹, breakpoint ½) first tries
    /// the bound twice.
    [Theory]
    [InlineData("L-BFGS", false)]
    [InlineData("L-BFGS", true)]
    [InlineData("SPG", false)]
    public void SearchStopsWhenTheTrialPointNoLongerMoves(string method, bool bounded)
    {
        var recorder = new Recording(new Tabulated(new() { [1.0] = 0 }, slope: 1, elsewhere: double.PositiveInfinity));
        double lower = bounded ? 1 - Math.ScaleB(1, -51) : double.NegativeInfinity;
        var options = new BoxMinimizerOptions { InitialStep = Math.ScaleB(1, -50), GradientTolerance = 0 };
        var minimizer = Minimizers.Create(method, recorder, new Box([lower], [double.PositiveInfinity]), options);
        minimizer.Init([1.0]);
        Assert.Equal(StopReason.LineSearchFailed, minimizer.Step());
        Assert.Equal(new MinimizerCounts(0, 5, 4, 0, 0, 0), minimizer.Counts);
        var expected = new[] { 1.0, 1 - Math.ScaleB(1, -50), 1 - Math.ScaleB(1, -51), 1 - Math.ScaleB(1, -52), 1 - Math.ScaleB(1, -53) };
        if (bounded) expected[1] = lower;
        Assert.Equal(expected, recorder.Points.Select(p => p[0]));
    }

    /// Which search runs, seen in the second trial. ∇f = 1, γ₀ = 1, so x(α) = P(−α); f(x(1)) = 10 (or 10⁶) rejects
    /// the first trial. With the bound at −1 the first breakpoint is exactly 1: the straight-segment Wolfe search
    /// runs ("≥ 1"), and its zoom tries the minimiser of the cubic with p(0) = 0, p′(0) = −1, p(1) = 10, p′(1) = −1,
    /// i.e. p = −22t³ + 33t² − t, whose local minimiser is the smaller root of p′ = −66t² + 66t − 1:
    /// t = (66 − √4092)/132; after f(x(1)) = 10⁶ that minimiser lies below the safeguard 10⁻³ of the interval and
    /// is moved up to it. With the bound at −½ (breakpoint ½) the path search runs: its quadratic step
    /// ½/(2(10 + ½)) &lt; 0.1 is raised to 0.1.
    [Theory]
    [InlineData(-1.0, 10.0, -0.015388315402440116)]   // −(66 − √4092)/132
    [InlineData(-1.0, 1e6, -1e-3)]
    [InlineData(-0.5, 10.0, -0.1)]
    public void BreakpointAtOneStillTakesTheWolfeSearch(double lower, double rejected, double secondTrial)
    {
        var recorder = new Recording(new Tabulated(new() { [0.0] = 0, [lower] = rejected }, slope: 1, elsewhere: double.PositiveInfinity));
        var options = new BoxMinimizerOptions { InitialStep = 1, MaxBacktracks = 1 };
        var minimizer = new ProjectedLbfgs(recorder, new Box([lower], [double.PositiveInfinity]), options);
        minimizer.Init([0.0]);
        Assert.Equal(StopReason.LineSearchFailed, minimizer.Step());
        Assert.Equal(3, recorder.Points.Count);
        Assert.Equal(lower, recorder.Points[1][0]);
        Assert.Equal(secondTrial, recorder.Points[2][0], 1e-12);
        Assert.Equal(new MinimizerCounts(0, 3, 2, 0, 0, 0), minimizer.Counts);
    }

    /// At x = 2⁻⁶⁰⁰ on [0, ∞) with ∇f = 1, ‖x − P(x − ∇f)‖₂² = 2⁻¹²⁰⁰ underflows to 0, so the unit-step scale
    /// 1/‖·‖₂ is infinite: L-BFGS falls back to γ = 1, and its first step reaches the bound 0 (an infinite γ would
    /// give an infinite slope, a memory reset, and a failed search). The pair (y = 0) is skipped.
    [Fact]
    public void UnitStepScaleFallsBackToOneWhenTheProjectedStepUnderflows()
    {
        double x0 = Math.ScaleB(1, -600);
        var objective = new Tabulated(new() { [x0] = x0, [0.0] = 0 }, slope: 1);
        var minimizer = new ProjectedLbfgs(objective, new Box([0.0], [double.PositiveInfinity]), new BoxMinimizerOptions { GradientTolerance = 0 });
        minimizer.Init([x0]);
        Assert.Equal(1.0, ((ProjectedLbfgsState)minimizer.SaveState()).Scaling);
        minimizer.Step();
        Assert.Equal(0.0, minimizer.Point[0]);
        Assert.Equal(new MinimizerCounts(1, 2, 0, 1, 0, 0), minimizer.Counts);
    }

    /// f = 10⁶ + ½x² from x = 10⁻³ with γ₀ = 0.3 and c₂ = 0.1: the line φ(α) = f(x − 3·10⁻⁴α) has its minimiser at
    /// α* = 10/3, and the first trial α = 1 is too short (|φ'(1)| = 2.1·10⁻⁷ &gt; c₂·3·10⁻⁷), so the search
    /// extrapolates by the cubic through φ(0), φ(1) and their slopes — exact for a parabola, so the accepted step
    /// is α*. The decrease φ(1) − φ(0) = −2.55·10⁻⁷ is below f's resolution (|f| × 10⁻¹⁰ = 10⁻⁴; f's own rounding is
    /// 10⁻¹⁰, 0.05% of it), so the trapezoid rule on gradients supplies it; f's differences would put α off by ~10⁻³.
    [Fact]
    public void TrapezoidRuleSuppliesTheDecreaseBelowTheResolutionOfF()
    {
        var (step, backtracks) = FirstStep(new BoxMinimizerOptions { InitialStep = 0.3, CurvatureConstant = 0.1 });
        Assert.True(Math.Abs(step - 10.0 / 3) <= 1e-9, $"accepted α = {step:R}, line minimiser 10/3");
        Assert.Equal(1, backtracks);
        // The premise: with the rule switched off, f's own differences misplace the step.
        (step, _) = FirstStep(new BoxMinimizerOptions { InitialStep = 0.3, CurvatureConstant = 0.1, RelativeValueNoise = 0 });
        Assert.True(Math.Abs(step - 10.0 / 3) > 1e-6, $"accepted α = {step:R} without the rule");

        static (double Step, int Backtracks) FirstStep(BoxMinimizerOptions options)
        {
            var minimizer = new ProjectedLbfgs(new Lifted(new WeightedSquares([1.0], [0.0]), 1e6), Box.Unbounded(1), options);
            var steps = new List<double>();
            minimizer.Observer = (in MinimizerProgress p, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => steps.Add(p.StepLength);
            minimizer.Init([1e-3]);
            minimizer.Step();
            return (Assert.Single(steps), minimizer.Counts.Backtracks);
        }
    }

    /// f + offset.
    private sealed class Lifted(IDifferentiableObjective inner, double offset) : IDifferentiableObjective
    {
        public int Dimension => inner.Dimension;
        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient) => offset + inner.Evaluate(x, gradient);
    }
}
