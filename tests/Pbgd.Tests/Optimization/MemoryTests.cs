using Pbgd.Optimization;

namespace Pbgd.Tests.Optimization;

/// What the minimisers remember between iterations, and when they forget it (mutation testing, issue 16): L-BFGS's
/// curvature pairs and scale γ, SPG's spectral step λ; which pairs are skipped, with exact skip counts on tiny
/// quadratics whose sᵀy and yᵀy are exact in binary.
public class MemoryTests
{
    /// Reevaluate keeps the pairs and γ unless told to drop the pairs (γ stays either way: it is only a scale);
    /// Init drops the pairs and sets γ afresh to 1/‖x − P(x − ∇f)‖₂ at the new start.
    [Fact]
    public void LbfgsReevaluateKeepsOrDropsThePairsAndInitStartsAfresh()
    {
        var minimizer = new ProjectedLbfgs(new Rosenbrock(4), Box.Unbounded(4), new BoxMinimizerOptions { GradientTolerance = 0 });
        minimizer.Init(Rosenbrock.Start(4));
        for (int i = 0; i < 4; i++) minimizer.Step();
        var before = (ProjectedLbfgsState)minimizer.SaveState();
        Assert.InRange(before.Count, 1, 4);

        minimizer.Reevaluate(resetMemory: false);
        var kept = (ProjectedLbfgsState)minimizer.SaveState();
        Assert.Equal((before.Count, before.Newest, before.Scaling), (kept.Count, kept.Newest, kept.Scaling));
        Assert.Equal(before.Steps, kept.Steps);

        minimizer.Reevaluate(resetMemory: true);
        var dropped = (ProjectedLbfgsState)minimizer.SaveState();
        Assert.Equal(0, dropped.Count);
        Assert.Equal(0, minimizer.PairCount);
        Assert.Equal(before.Scaling, dropped.Scaling);
        Assert.Equal(2, minimizer.Counts.ExtraEvaluations);

        // At (½, ½, ½, ½) each link has a = x_{i+1} − x_i² = ¼, b = 1 − x_i = ½, so ∇f = (−51, −1, −1, 50)
        // and γ = 1/√(51² + 1 + 1 + 50²).
        minimizer.Init([0.5, 0.5, 0.5, 0.5]);
        var fresh = (ProjectedLbfgsState)minimizer.SaveState();
        Assert.Equal(0, fresh.Count);
        Assert.Equal(1 / Math.Sqrt(51.0 * 51 + 1 + 1 + 50 * 50), fresh.Scaling, 1e-15);
    }

    /// SPG's λ survives a plain Reevaluate; with resetMemory it restarts at 1/‖x − P(x − ∇f)‖∞ of the current point
    /// (not at the run's InitialStep, which belongs to Init).
    [Fact]
    public void SpgReevaluateKeepsOrRestartsTheSpectralStep()
    {
        var objective = new WeightedSquares([1.0, 4.0, 16.0], [1.0, -2.0, 0.5]);
        var options = new BoxMinimizerOptions { InitialStep = 0.37, GradientTolerance = 0 };
        var minimizer = new SpectralProjectedGradient(objective, Box.Unbounded(3), options);
        minimizer.Init([0.0, 0.0, 0.0]);
        Assert.Equal(0.37, minimizer.SpectralStep);
        for (int i = 0; i < 3; i++) minimizer.Step();
        double lambda = minimizer.SpectralStep;
        Assert.NotEqual(0.37, lambda);
        minimizer.Reevaluate(resetMemory: false);
        Assert.Equal(lambda, minimizer.SpectralStep);
        minimizer.Reevaluate(resetMemory: true);
        double norm = 0;
        for (int i = 0; i < 3; i++) norm = Math.Max(norm, Math.Abs(minimizer.Gradient[i]));   // unbounded: ‖∇f‖∞
        Assert.Equal(1 / norm, minimizer.SpectralStep, 1e-15);
    }

    /// At a start where the projected gradient vanishes (on a bound, pushed outward) 1/‖pg‖∞ is infinite: SPG's λ
    /// falls back to 1, not to λ_max.
    [Fact]
    public void SpgStepAtAStationaryStartIsOne()
    {
        var minimizer = new SpectralProjectedGradient(new Tabulated(new() { [-1.0] = 0 }, slope: 1), new Box([-1.0], [double.PositiveInfinity]));
        minimizer.Init([-1.0]);
        Assert.Equal(0.0, minimizer.ProjectedGradientNorm);
        Assert.Equal(1.0, minimizer.SpectralStep);
    }

    /// The new scale after one accepted step, by hand: f = ½(x₀² + 4x₁²) from (1, 1) with first step ⅛ moves to
    /// (0.875, 0.5) (accepted at once by both methods), so s = (−⅛, −½), y = (−⅛, −2): sᵀs = 17/64, sᵀy = 65/64,
    /// yᵀy = 257/64. L-BFGS's γ becomes sᵀy/yᵀy and SPG's λ the Barzilai–Borwein sᵀs/sᵀy.
    [Fact]
    public void NewScaleIsTheStepPairsQuotient()
    {
        var options = new BoxMinimizerOptions { InitialStep = 0.125, GradientTolerance = 0 };
        var objective = new WeightedSquares([1.0, 4.0], [0.0, 0.0]);
        var lbfgs = new ProjectedLbfgs(objective, Box.Unbounded(2), options);
        var spg = new SpectralProjectedGradient(objective, Box.Unbounded(2), options);
        foreach (var minimizer in new BoxMinimizer[] { lbfgs, spg })
        {
            minimizer.Init([1.0, 1.0]);
            minimizer.Step();
            Assert.Equal([0.875, 0.5], minimizer.Point.ToArray());
            Assert.Equal(2, minimizer.Counts.Evaluations);
        }
        Assert.Equal((65.0 / 64) / (257.0 / 64), ((ProjectedLbfgsState)lbfgs.SaveState()).Scaling);
        Assert.Equal((17.0 / 64) / (65.0 / 64), spg.SpectralStep);
    }

    /// f = 2x² from x = 1 with γ₀ = ¼ reaches 0 in one step: s = −1, y = −4, sᵀy = 4, yᵀy = 16, so sᵀy/yᵀy = ¼.
    /// The pair is skipped when sᵀy ≤ ε·yᵀy: at ε = ¼ exactly it is skipped, just below it is stored (γ is ¼ either
    /// way: γ₀ is kept, or becomes sᵀy/yᵀy).
    [Theory]
    [InlineData(0.25, true)]
    [InlineData(0.24999999999999997, false)]
    public void LbfgsSkipsAPairExactlyAtTheCurvatureThreshold(double threshold, bool skipped)
    {
        var options = new BoxMinimizerOptions { InitialStep = 0.25, CurvatureSkipThreshold = threshold };
        var minimizer = new ProjectedLbfgs(new WeightedSquares([4.0], [0.0]), Box.Unbounded(1), options);
        minimizer.Init([1.0]);
        Assert.Equal(StopReason.Converged, minimizer.Step());
        Assert.Equal(0.0, minimizer.Point[0]);
        Assert.Equal(new MinimizerCounts(1, 2, 0, skipped ? 1 : 0, 0, 0), minimizer.Counts);
        Assert.Equal(skipped ? 0 : 1, minimizer.PairCount);
        Assert.Equal(0.25, ((ProjectedLbfgsState)minimizer.SaveState()).Scaling);
    }

    /// f = ½·2⁻⁵⁴⁰(x − 1)² from x = 0 with γ₀ = 2⁵⁴⁰ reaches 1 in one step: s = 1, y = 2⁻⁵⁴⁰, so sᵀy = 2⁻⁵⁴⁰ but
    /// yᵀy = 2⁻¹⁰⁸⁰ underflows to 0 and sᵀy/yᵀy is infinite. Such a pair is skipped (γ = ∞ would wreck the next
    /// direction).
    [Fact]
    public void LbfgsSkipsAPairWhoseCurvatureRatioIsNotFinite()
    {
        double a = Math.ScaleB(1, -540);
        var options = new BoxMinimizerOptions { InitialStep = Math.ScaleB(1, 540), GradientTolerance = 0 };
        var minimizer = new ProjectedLbfgs(new WeightedSquares([a], [1.0]), Box.Unbounded(1), options);
        minimizer.Init([0.0]);
        Assert.Equal(StopReason.None, minimizer.Status);
        Assert.Equal(StopReason.Converged, minimizer.Step());
        Assert.Equal(1.0, minimizer.Point[0]);
        Assert.Equal(new MinimizerCounts(1, 2, 0, 1, 0, 0), minimizer.Counts);
        Assert.Equal(0, minimizer.PairCount);
    }

    /// x = (0, 1) on [0, 1] × ℝ, f = ½|x − (−1, −1)|², so ∇f = (1, 2); with γ = ½ coordinate 0 is active (x₀ − γg₀ &lt; 0)
    /// and stays on its bound; coordinate 1 is free. One stored pair, restricted to coordinate 1:
    ///  - s₁y₁ = −0.5 &lt; 0 (though the full sᵀy = 2.5 &gt; 0): skipped this iteration, so d₁ = γg₁ = 1, trial x₁ = 0;
    ///  - s₁y₁ = 4 = ε·y₁² with ε = ¼: skipped at equality, trial x₁ = 0;
    ///  - the same pair with ε just below ¼: used, d₁ = (s₁/y₁)g₁ = ½ (the one-pair BFGS inverse is the secant), x₁ = ½.
    /// No memory reset may be needed for it (the restricted recursion must give a descent direction).
    [Theory]
    [InlineData(3.0, -0.5, 2.220446049250313e-16, 0.0)]
    [InlineData(0.0, 4.0, 0.25, 0.0)]
    [InlineData(0.0, 4.0, 0.24999999999999997, 0.5)]
    public void LbfgsSkipsAPairWhoseCurvatureOnTheFreeCoordinatesIsTooSmall(double y0, double y1, double threshold, double trial1)
    {
        var recorder = new Recording(new WeightedSquares([1.0, 1.0], [-1.0, -1.0]));
        var box = new Box([0.0, double.NegativeInfinity], [1.0, double.PositiveInfinity]);
        var minimizer = new ProjectedLbfgs(recorder, box, new BoxMinimizerOptions { Memory = 1, CurvatureSkipThreshold = threshold });
        minimizer.Init([0.0, 1.0]);
        var state = (ProjectedLbfgsState)minimizer.SaveState();
        minimizer.Restore(state with { Steps = [1.0, 1.0], GradientChanges = [y0, y1], Newest = 0, Count = 1, Scaling = 0.5 });
        recorder.Points.Clear();
        minimizer.Step();
        Assert.Equal([0.0, trial1], recorder.Points[0]);
        Assert.Equal(0, minimizer.Counts.MemoryResets);
    }
}

/// Records every point the minimiser evaluates.
internal sealed class Recording(IDifferentiableObjective inner) : IDifferentiableObjective
{
    public List<double[]> Points { get; } = [];
    public int Dimension => inner.Dimension;

    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        Points.Add(x.ToArray());
        return inner.Evaluate(x, gradient);
    }
}
