using Pbgd.Optimization;

namespace Pbgd.Tests.Optimization;

/// The acceptance tests of the line searches at exact equality, and the branches of L-BFGS's Wolfe search, on
/// 1-D objectives whose trials are worked out by hand (mutation testing, issue 16). Unless said otherwise
/// x₀ = 0, ∇f(0) = 1 and γ₀ = 1, so the search path is x(α) = −α (or its projection) and φ′(0) = −1.
public class WolfeSearchTests
{
    /// Sufficient decrease is "f(x(α)) ≤ f + c₁·(decrease)": with c₁ = 1/16 a trial exactly at the limit is
    /// accepted. Wolfe (unbounded): f(−1) = −1/16 = c₁·1·φ′(0); it is then extended (φ′(1) = −1, too steep) to an
    /// infinite value and, out of trials, the sufficient-decrease point α = 1 is kept. Path search (bound −½,
    /// breakpoint ½): f(−½) = c₁·g·(−½ − 0) = −1/32, accepted at once. SPG (λ = 1): f(−1) = 0 + c₁·(−1), accepted.
    [Theory]
    [InlineData("L-BFGS", double.NegativeInfinity, -1.0, -0.0625, 1)]
    [InlineData("L-BFGS", -0.5, -0.5, -0.03125, 0)]
    [InlineData("SPG", double.NegativeInfinity, -1.0, -0.0625, 0)]
    public void TrialExactlyAtTheSufficientDecreaseLimitIsAccepted(string method, double lower, double point, double value, int backtracks)
    {
        var objective = new Tabulated(new() { [0.0] = 0, [point] = value }, slope: 1, elsewhere: double.PositiveInfinity);
        var options = new BoxMinimizerOptions { ArmijoConstant = 0.0625, InitialStep = 1, MaxBacktracks = 1, GradientTolerance = 0 };
        var minimizer = Minimizers.Create(method, objective, new Box([lower], [double.PositiveInfinity]), options);
        minimizer.Init([0.0]);
        minimizer.Step();
        Assert.Equal(point, minimizer.Point[0]);
        Assert.Equal(value, minimizer.Value);
        Assert.Equal(1, minimizer.Counts.Iterations);
        Assert.Equal(backtracks, minimizer.Counts.Backtracks);
    }

    /// The sufficient-decrease limit grows with the step: c₁·α·φ′(0). With c₁ = ¼, f(−1) = −½ passes (limit −¼);
    /// the extension to α = 5 finds f(−5) = −1, lower than at α = 1 but above its limit −5/4, so it brackets the
    /// minimiser instead of becoming the new low end, and (out of trials) α = 1 is kept.
    [Fact]
    public void SufficientDecreaseLimitScalesWithTheStep()
    {
        var objective = new Tabulated(new() { [0.0] = 0, [-1.0] = -0.5, [-5.0] = -1 }, slope: 1, elsewhere: double.PositiveInfinity);
        var options = new BoxMinimizerOptions { ArmijoConstant = 0.25, InitialStep = 1, MaxBacktracks = 2, GradientTolerance = 0 };
        var minimizer = new ProjectedLbfgs(objective, Box.Unbounded(1), options);
        minimizer.Init([0.0]);
        minimizer.Step();
        Assert.Equal(-1.0, minimizer.Point[0]);
        Assert.Equal(new MinimizerCounts(1, 4, 2, 1, 0, 0), minimizer.Counts);
    }

    /// A path step whose predicted decrease gᵀ(x(α) − x) underflows to (−)0 certifies no descent and is not accepted,
    /// even where f does not rise: ∇f = 2⁻⁶⁰⁰, γ₀ = 2¹²⁶ (d = 2⁻⁴⁷⁴), bound at −2⁻⁵⁰⁰ (breakpoint 2⁻²⁶), so every
    /// trial lands 2⁻⁵⁰⁰ or less from x and 2⁻⁶⁰⁰·2⁻⁵⁰⁰ is 0 in double precision. All 1 + MaxBacktracks trials fail.
    [Fact]
    public void PathStepWithAnUnderflowingDecreaseIsNotAccepted()
    {
        double bound = -Math.ScaleB(1, -500);
        var objective = new Tabulated(new() { [0.0] = 0 }, slope: Math.ScaleB(1, -600), elsewhere: 0);
        var options = new BoxMinimizerOptions { InitialStep = Math.ScaleB(1, 126), MaxBacktracks = 3, GradientTolerance = 0 };
        var minimizer = new ProjectedLbfgs(objective, new Box([bound], [double.PositiveInfinity]), options);
        minimizer.Init([0.0]);
        Assert.Equal(StopReason.LineSearchFailed, minimizer.Step());
        Assert.Equal(0.0, minimizer.Point[0]);
        Assert.Equal(new MinimizerCounts(0, 5, 4, 0, 0, 0), minimizer.Counts);
    }

    /// Half the limit's decrease is not enough: the same trials with f(x(1)) = ½·limit are rejected (then the table's
    /// +∞ everywhere else ends each search with no step).
    [Theory]
    [InlineData("L-BFGS", double.NegativeInfinity, -1.0, -0.03125)]
    [InlineData("L-BFGS", -0.5, -0.5, -0.015625)]
    [InlineData("SPG", double.NegativeInfinity, -1.0, -0.03125)]
    public void TrialAboveTheSufficientDecreaseLimitIsRejected(string method, double lower, double point, double value)
    {
        var objective = new Tabulated(new() { [0.0] = 0, [point] = value }, slope: 1, elsewhere: double.PositiveInfinity);
        var options = new BoxMinimizerOptions { ArmijoConstant = 0.0625, InitialStep = 1, MaxBacktracks = 1, GradientTolerance = 0 };
        var minimizer = Minimizers.Create(method, objective, new Box([lower], [double.PositiveInfinity]), options);
        minimizer.Init([0.0]);
        Assert.Equal(StopReason.LineSearchFailed, minimizer.Step());
        Assert.Equal(new MinimizerCounts(0, 3, 2, 0, 0, 0), minimizer.Counts);
    }

    /// After a rejected trial with a finite value and gradient, the backtracking searches interpolate: f rising from 1
    /// to f(x(1)) = 2 with secant decrease −1 gives the parabola's minimiser t = 1/(2·(1 + 1)) = ¼ (inside both safeguards). A non-finite
    /// gradient there makes the trial unusable for a model: the step is halved. SPG (λ = 1): x(α) = −α; L-BFGS's path
    /// search (γ₀ = 2, bound −1, breakpoint ½): x(α) = max(−2α, −1), secant decrease g·(−1 − 0) = −1 at α = 1.
    [Theory]
    [InlineData("SPG", 1.0, -0.25)]
    [InlineData("SPG", double.NaN, -0.5)]
    [InlineData("L-BFGS", 1.0, -0.5)]
    [InlineData("L-BFGS", double.NaN, -1.0)]
    public void BacktrackingInterpolatesOnlyAfterAFiniteTrial(string method, double slopeThere, double secondTrial)
    {
        var recorder = new Recording(new Tabulated(new() { [0.0] = 1, [-1.0] = 2 }, slope: 1, elsewhere: double.PositiveInfinity,
            slopes: new() { [-1.0] = slopeThere }));
        var options = new BoxMinimizerOptions { InitialStep = method == "SPG" ? 1 : 2, MaxBacktracks = 1, GradientTolerance = 0 };
        var minimizer = Minimizers.Create(method, recorder, new Box([-1.0], [double.PositiveInfinity]), options);
        minimizer.Init([0.0]);
        Assert.Equal(StopReason.LineSearchFailed, minimizer.Step());
        Assert.Equal([0.0, -1.0, secondTrial], recorder.Points.Select(p => p[0]));
    }

    /// The curvature test is "|φ′(α)| ≤ c₂|φ′(0)|": with c₂ = ½ and ∇f(−1) = ½ the first trial meets it exactly and is
    /// accepted without a second evaluation.
    [Fact]
    public void TrialExactlyAtTheCurvatureLimitIsAccepted()
    {
        var objective = new Tabulated(new() { [0.0] = 0, [-1.0] = -0.5 }, slope: 1, slopes: new() { [-1.0] = 0.5 });
        var options = new BoxMinimizerOptions { CurvatureConstant = 0.5, InitialStep = 1, GradientTolerance = 0 };
        var minimizer = new ProjectedLbfgs(objective, Box.Unbounded(1), options);
        minimizer.Init([0.0]);
        minimizer.Step();
        Assert.Equal(-1.0, minimizer.Point[0]);
        Assert.Equal(new MinimizerCounts(1, 2, 0, 0, 0, 0), minimizer.Counts);
    }

    /// Extrapolation stops once f no longer falls: f(−1) = −1 and f(−5) = −½ (or −1) both satisfy sufficient
    /// decrease, but f(−5) ≥ f(−1) brackets a minimiser in [1, 5] (the extrapolation goes to α = 5 = 1 + 4Δ because
    /// the cubic through two equal slopes −1 is a line). The zoom's trial (the table has no value there: +∞) uses
    /// the last trial, and with the budget spent the best point α = 1 is kept.
    [Theory]
    [InlineData(-0.5)]
    [InlineData(-1.0)]   // equal values: "no longer falls" includes equality
    public void ExtrapolationStopsWhenTheValueNoLongerFalls(double atFive)
    {
        var recorder = new Recording(new Tabulated(new() { [0.0] = 0, [-1.0] = -1, [-5.0] = atFive }, slope: 1, elsewhere: double.PositiveInfinity));
        var options = new BoxMinimizerOptions { InitialStep = 1, MaxBacktracks = 2, GradientTolerance = 0 };
        var minimizer = new ProjectedLbfgs(recorder, Box.Unbounded(1), options);
        minimizer.Init([0.0]);
        minimizer.Step();
        Assert.Equal(-1.0, minimizer.Point[0]);
        Assert.Equal(new MinimizerCounts(1, 4, 2, 1, 0, 0), minimizer.Counts);
        Assert.Equal([0.0, -1.0, -5.0], recorder.Points.Take(3).Select(p => p[0]));
        Assert.InRange(recorder.Points[3][0], -4.6, -1.004);   // inside the safeguarded bracket [1 + 10⁻³·4, 5 − 0.1·4]
    }

    /// Overshoot with sufficient decrease: f(−1) = −½ but φ′(1) = +2 (∇f(−1) = −2), so the minimiser lies in (0, 1):
    /// the bracket becomes [α = 1 (lo), α = 0 (hi)] and the zoom tries the minimiser of the cubic p = 2t³ − 1.5t² − t
    /// (p(0) = 0, p′(0) = −1, p(1) = −½, p′(1) = 2): the larger root of p′ = 6t² − 3t − 1, t = (3 + √33)/12.
    [Fact]
    public void OvershootWithRisingSlopeZoomsBackByTheCubic()
    {
        var recorder = new Recording(new Tabulated(new() { [0.0] = 0, [-1.0] = -0.5 }, slope: 1, elsewhere: double.PositiveInfinity, slopes: new() { [-1.0] = -2 }));
        var options = new BoxMinimizerOptions { InitialStep = 1, MaxBacktracks = 1, GradientTolerance = 0 };
        var minimizer = new ProjectedLbfgs(recorder, Box.Unbounded(1), options);
        minimizer.Init([0.0]);
        minimizer.Step();
        Assert.Equal(3, recorder.Points.Count);
        Assert.Equal(-(3 + Math.Sqrt(33)) / 12, recorder.Points[2][0], 1e-12);
        Assert.Equal(-1.0, minimizer.Point[0]);   // out of trials: the sufficient-decrease point is kept
    }

    /// Extrapolation on f = ½(x − α*)² with d = −1 (γ₀ = 1/α*) and c₂ = 0.1, so a trial is accepted only within 10%
    /// of α*. From α = 1 the next trial is the cubic's (here exact) minimiser α* if it lies in [α + 1.1Δ, α + 4Δ],
    /// Δ = α − α_prev, else α + 4Δ:
    ///  α* = 3: 1 → 3 (in [2.1, 5]);
    ///  α* = 10: 1 → 5 → 10 (in [9.4, 21]);
    ///  α* = 8: 1 → 5 → 21 (8 &lt; 9.4), past the minimiser, then the zoom's cubic gives 8.
    [Theory]
    [InlineData(3.0, 1)]
    [InlineData(10.0, 2)]
    [InlineData(8.0, 3)]
    public void ExtrapolationTakesTheCubicStepOnlyInsideItsSafeguards(double minimiser, int backtracks)
    {
        var options = new BoxMinimizerOptions { InitialStep = 1 / minimiser, CurvatureConstant = 0.1 };
        var minimizer = new ProjectedLbfgs(new WeightedSquares([1.0], [minimiser]), Box.Unbounded(1), options);
        var steps = new List<double>();
        minimizer.Observer = (in MinimizerProgress p, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => steps.Add(p.StepLength);
        minimizer.Init([0.0]);
        minimizer.Step();
        Assert.Equal(minimiser, Assert.Single(steps), 1e-9);
        Assert.Equal(backtracks, minimizer.Counts.Backtracks);
    }

    /// A zoom trial with sufficient decrease whose slope has turned positive lies past the minimiser: it becomes the
    /// low end and the old low end (α = 0) the high one, so the next trial lies between them. Here f(−1) = 10 is
    /// rejected, the cubic's minimiser t₁ = (66 − √4092)/132 is tried (every untabulated point has f = −0.01 and
    /// ∇f = −1, i.e. φ′ = +1), and the third trial falls in (0, t₁); out of trials, t₁ is kept.
    [Fact]
    public void ZoomTrialPastTheMinimiserBecomesTheLowEnd()
    {
        var objective = new Tabulated(new() { [0.0] = 0, [-1.0] = 10 }, slope: -1, elsewhere: -0.01, slopes: new() { [0.0] = 1, [-1.0] = 1 });
        var recorder = new Recording(objective);
        var options = new BoxMinimizerOptions { InitialStep = 1, MaxBacktracks = 2, GradientTolerance = 0 };
        var minimizer = new ProjectedLbfgs(recorder, Box.Unbounded(1), options);
        minimizer.Init([0.0]);
        minimizer.Step();
        double t1 = (66 - Math.Sqrt(4092)) / 132;
        Assert.Equal(4, recorder.Points.Count);
        Assert.Equal(-t1, recorder.Points[2][0], 1e-12);
        Assert.InRange(-recorder.Points[3][0], 0.1 * t1, 0.999 * t1);   // the safeguarded part of (0, t₁)
        Assert.Equal(recorder.Points[2][0], minimizer.Point[0]);
        Assert.Equal(new MinimizerCounts(1, 4, 2, 0, 0, 0), minimizer.Counts);
    }

    /// The zoom ends when its interval falls below the resolution of α, without evaluating its low end again. From
    /// f(−1) = −1 (sufficient, too steep) the search extends to α = 5 (f = +∞, as everywhere off the table), then
    /// bisects towards α = 1: trials 1 + 2^(2−k), k = 1 … 54 (the last is 1 + 2⁻⁵²); the next midpoint rounds to 1
    /// itself and the search accepts α = 1 — 56 trials, 55 rejected. The mirror case: f(−1) = −½ with φ′(1) = +2
    /// (the low end α = 1 is the right end) — the search then approaches 1 from below; α = 1 is evaluated once.
    [Theory]
    [InlineData(-1.0, 1.0, 55)]
    [InlineData(-0.5, -2.0, -1)]
    public void ZoomEndsAtTheResolutionOfAlphaWithoutRepeatingItsLowEnd(double value, double slopeThere, int backtracks)
    {
        var recorder = new Recording(new Tabulated(new() { [0.0] = 0, [-1.0] = value }, slope: 1, elsewhere: double.PositiveInfinity,
            slopes: new() { [-1.0] = slopeThere }));
        var options = new BoxMinimizerOptions { InitialStep = 1, MaxBacktracks = 200, GradientTolerance = 0 };
        var minimizer = new ProjectedLbfgs(recorder, Box.Unbounded(1), options);
        minimizer.Init([0.0]);
        minimizer.Step();
        Assert.Equal(-1.0, minimizer.Point[0]);
        Assert.Single(recorder.Points, p => p[0] == -1.0);
        Assert.True(minimizer.Counts.Backtracks < 200, "the search ran out of trials instead");
        if (backtracks >= 0) Assert.Equal(backtracks, minimizer.Counts.Backtracks);
    }
}
