using Pbgd.Optimization;

namespace Pbgd.Tests.Optimization;

/// The stopping rules at exact equality (mutation testing, issue 16): the documented tests are "≤ tolerance",
/// so a norm or decrease exactly at the tolerance converges and one just above it does not. The numbers are exact
/// in binary, so the boundary is hit exactly.
public class StoppingRuleTests
{
    /// f = ½(x − 0.75)² from x = 0: ∇f = −0.75, so on an unbounded line ‖x − P(x − ∇f)‖∞ = 0.75 at the start.
    [Theory]
    [InlineData("L-BFGS")]
    [InlineData("SPG")]
    public void StartPointWithProjectedGradientExactlyAtTheToleranceHasConverged(string method)
    {
        var objective = new WeightedSquares([1.0], [0.75]);
        var at = Minimizers.Create(method, objective, Box.Unbounded(1), new BoxMinimizerOptions { GradientTolerance = 0.75 });
        at.Init([0.0]);
        Assert.Equal(0.75, at.ProjectedGradientNorm);
        Assert.Equal(StopReason.Converged, at.Status);
        Assert.Equal(ConvergenceCriterion.ProjectedGradient, at.Result.Criterion);
        Assert.True(at.Result.Converged);

        var below = Minimizers.Create(method, objective, Box.Unbounded(1),
            new BoxMinimizerOptions { GradientTolerance = Math.BitDecrement(0.75) });
        below.Init([0.0]);
        Assert.Equal(StopReason.None, below.Status);
        Assert.Equal(ConvergenceCriterion.None, below.Result.Criterion);
        Assert.False(below.Result.Converged);
    }

    /// f = ½w(x − 1)² at x = 0 has ‖pg‖ = w: 1 at the start, then 0.5 after the weight is halved and the point
    /// re-evaluated — exactly RelativeGradientTolerance (½) × the start's norm. A weight of 0.5 + 2⁻⁵² stays above.
    [Theory]
    [InlineData("L-BFGS")]
    [InlineData("SPG")]
    public void ProjectedGradientExactlyAtTheRelativeToleranceHasConverged(string method)
    {
        foreach (var (weight, converged) in new[] { (0.5, true), (Math.BitIncrement(0.5), false) })
        {
            var objective = new WeightedSquares([1.0], [1.0]);
            var options = new BoxMinimizerOptions { GradientTolerance = 0, RelativeGradientTolerance = 0.5 };
            var minimizer = Minimizers.Create(method, objective, Box.Unbounded(1), options);
            minimizer.Init([0.0]);
            Assert.Equal(StopReason.None, minimizer.Status);
            objective.Weights = [weight];
            minimizer.Reevaluate();
            Assert.Equal(weight, minimizer.ProjectedGradientNorm);
            Assert.Equal(converged ? StopReason.Converged : StopReason.None, minimizer.Status);
            Assert.Equal(converged ? ConvergenceCriterion.RelativeProjectedGradient : ConvergenceCriterion.None, minimizer.Result.Criterion);
        }
    }

    /// An objective whose value is +∞ but which still wrote a finite gradient: the point has no projected
    /// gradient (NaN), at the start and on re-evaluation, and the run is diverged.
    [Theory]
    [InlineData("L-BFGS")]
    [InlineData("SPG")]
    public void InfiniteValueLeavesNoProjectedGradientWhateverGradientWasWritten(string method)
    {
        var objective = new Tabulated(new() { [0.0] = double.PositiveInfinity }, slope: 1);
        var minimizer = Minimizers.Create(method, objective, Box.Unbounded(1), new BoxMinimizerOptions());
        minimizer.Init([0.0]);
        Assert.True(double.IsNaN(minimizer.ProjectedGradientNorm));
        Assert.Equal(StopReason.Diverged, minimizer.Status);
        minimizer.Reevaluate();
        Assert.True(double.IsNaN(minimizer.ProjectedGradientNorm));
        Assert.Equal(StopReason.Diverged, minimizer.Status);
    }

    /// SPG (window 2, first step 1) on a tabulated 1-D objective with ∇f = 1 everywhere: from x = 0 the steps go to
    /// −1 and −2 (each skipped BB pair restarts λ at 1/‖pg‖∞ = 1; both values lie below the window's maximum f(0)
    /// minus c₁, so both are accepted). The relative decrease test (f_k − f_{k+1})/max(|f_k|, |f_{k+1}|, 1) ≤ tol
    /// is then checked at: a zero decrease (converges for any tol &gt; 0, never with the test off), an increase
    /// (never counts, however large tol), and a decrease exactly tol × max (converges; just below tol it does not).
    [Theory]
    [InlineData(4.0, 1e-12, true)]         // zero decrease
    [InlineData(4.0, 0.0, false)]          // zero decrease with the test switched off
    [InlineData(6.0, 0.5, false)]          // an increase of 2 (accepted by the nonmonotone rule), 2 < 0.5 × 6
    [InlineData(2.0, 0.5, true)]           // 4 − 2 = 0.5 × max(4, 2, 1)
    [InlineData(2.0, 0.49999999999999994, false)]
    public void FunctionDecreaseTestAtItsBoundaries(double last, double tolerance, bool converged)
    {
        var objective = new Tabulated(new() { [0.0] = 10, [-1.0] = 4, [-2.0] = last }, slope: 1);
        var options = new BoxMinimizerOptions { GradientTolerance = 0, FunctionTolerance = tolerance, NonmonotoneWindow = 2, InitialStep = 1, MaxIterations = 2 };
        var minimizer = new SpectralProjectedGradient(objective, Box.Unbounded(1), options);
        minimizer.Init([0.0]);
        Assert.Equal(StopReason.None, minimizer.Step());   // 10 − 4 = 6 > tol × 10 in every case
        Assert.Equal(-1.0, minimizer.Point[0]);
        var status = minimizer.Step();
        Assert.Equal(-2.0, minimizer.Point[0]);
        Assert.Equal(last, minimizer.Value);
        Assert.Equal(converged ? StopReason.Converged : StopReason.MaxIterations, status);
        Assert.Equal(converged ? ConvergenceCriterion.FunctionDecrease : ConvergenceCriterion.None, minimizer.Result.Criterion);
        Assert.Equal(new MinimizerCounts(2, 3, 0, 2, 0, 0), minimizer.Counts);
    }

    /// Below |f| = 1 the denominator is 1: f from 0.5 to 0.25 is a relative decrease of 0.25, so tol = 0.25 converges
    /// on the first step (a denominator of max(|f_k|, |f_{k+1}|) = 0.5 would need tol ≥ 0.5).
    [Fact]
    public void FunctionDecreaseBelowUnitValuesIsMeasuredAgainstOne()
    {
        foreach (var (tolerance, converged) in new[] { (0.25, true), (Math.BitDecrement(0.25), false) })
        {
            var objective = new Tabulated(new() { [0.0] = 0.5, [-1.0] = 0.25 }, slope: 1);
            var options = new BoxMinimizerOptions { GradientTolerance = 0, FunctionTolerance = tolerance, InitialStep = 1, MaxIterations = 1 };
            var minimizer = new SpectralProjectedGradient(objective, Box.Unbounded(1), options);
            minimizer.Init([0.0]);
            Assert.Equal(converged ? StopReason.Converged : StopReason.MaxIterations, minimizer.Step());
            Assert.Equal(-1.0, minimizer.Point[0]);
        }
    }
}

/// A 1-D objective given by a table of values at the points a test expects to be visited, with the same slope
/// everywhere unless <paramref name="slopes"/> gives one for the point; any other point is a test failure, or, when
/// <paramref name="elsewhere"/> is given, has that value.
internal sealed class Tabulated(Dictionary<double, double> values, double slope, double? elsewhere = null,
    Dictionary<double, double>? slopes = null) : IDifferentiableObjective
{
    public int Dimension => 1;

    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient[0] = slopes is not null && slopes.TryGetValue(x[0], out double g) ? g : slope;
        if (values.TryGetValue(x[0], out double f)) return f;
        return elsewhere ?? throw new InvalidOperationException($"unexpected point {x[0]:R}");
    }
}
