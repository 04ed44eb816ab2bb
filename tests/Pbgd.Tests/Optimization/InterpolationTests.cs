using Pbgd.Optimization;

namespace Pbgd.Tests.Optimization;

/// The line searches' interpolation steps against minimisers worked out by hand.
public class InterpolationTests
{
    /// f(t) = t³ − 3t has f' = 3t² − 3, so its local minimiser is t = 1. From (0, f = 0, f' = −3) and
    /// (2, f = 2, f' = 9) the interpolating cubic is f itself; the same from the other end.
    [Fact]
    public void CubicStepRecoversTheMinimiserOfACubic()
    {
        Assert.Equal(1.0, ProjectedLbfgs.Cubic(0, 0, -3, 2, 2, 9), 14);
        Assert.Equal(1.0, ProjectedLbfgs.Cubic(2, 2, 9, 0, 0, -3), 14);
        // A quadratic (t − 0.3)² is a degenerate cubic: minimiser 0.3 from (0, 0.09, −0.6) and (1, 0.49, 1.4).
        Assert.Equal(0.3, ProjectedLbfgs.Cubic(0, 0.09, -0.6, 1, 0.49, 1.4), 14);
        // No real minimiser (f' = 1 at both ends of a straight line) → NaN, so the caller falls back.
        Assert.True(double.IsNaN(ProjectedLbfgs.Cubic(0, 0, 1, 1, 1, 1)));
    }

    /// φ(α) = φ(0) − 2α + 5α²: from φ(1) − φ(0) = 3 and the secant decrease −2 at α = 1, the quadratic model's
    /// minimiser is 2/(2·5) = 0.2, inside [0.1, 0.5]; a huge rise pushes the step to the 0.1 floor; no model halves.
    [Fact]
    public void BacktrackingStepIsTheSafeguardedQuadraticMinimiser()
    {
        Assert.Equal(0.2, ProjectedLbfgs.Shorter(1, usable: true, rise: 3, decrease: -2), 14);
        Assert.Equal(0.1, ProjectedLbfgs.Shorter(1, usable: true, rise: 1e6, decrease: -2), 14);
        Assert.Equal(0.5, ProjectedLbfgs.Shorter(1, usable: false, rise: double.NaN, decrease: -2), 14);
        Assert.Equal(0.2, ProjectedLbfgs.Shorter(0.5, usable: true, rise: 0.25, decrease: -1), 14);   // same φ from α = 0.5
        // The safeguards' ends and α ≠ 1 (mutation testing, issue 16), t = −decrease·α / (2(rise − decrease)):
        Assert.Equal(0.1, ProjectedLbfgs.Shorter(1, usable: true, rise: 4, decrease: -1));              // t = 0.1α exactly: kept
        Assert.Equal(0.2, ProjectedLbfgs.Shorter(2, usable: true, rise: 1.7, decrease: -0.3), 14);     // t = 0.15 < 0.1α → 0.1α
        Assert.Equal(0.5, ProjectedLbfgs.Shorter(2, usable: true, rise: 4, decrease: -4), 14);         // t = 0.5 ∈ [0.2, 1]
        Assert.Equal(0.5, ProjectedLbfgs.Shorter(1, usable: true, rise: -0.95, decrease: -2));         // t = 0.95 > 0.5α → 0.5α
        Assert.Equal(1.0, ProjectedLbfgs.Shorter(2, usable: true, rise: -1.0 / 3, decrease: -2));      // t = 1.2 > 0.5α → 0.5α
    }

    /// SPG's step (BMR): the minimiser t of the parabola through φ(0), the secant slope decrease/α and φ(α), kept
    /// if it lies in [0.1α, 0.9α] (ends included), else α/2; by hand, t = −decrease·α / (2(rise − decrease)):
    ///  - φ = −2a + 5a² at α = 1 (rise 3, decrease −2): t = 0.2;
    ///  - φ = −2a + 2a² at α = 2 (rise 4, decrease −4): t = 0.5 (α ≠ 1 tells α·α from α/α and slope·α from slope/α);
    ///  - rise 4, decrease −1 at α = 1: t = 1/10 = 0.1α exactly, kept; rise −4, decrease −9: t = 9/10 = 0.9α, kept;
    ///  - at α = 2, rise 1.7, decrease −0.3: t = 0.6/4 = 0.15 &lt; 0.2 = 0.1α → 1; rise −1/3, decrease −2: t = 1.2 ∈ [0.2, 1.8];
    ///  - at α = 1, rise −0.95, decrease −2: t = 2/2.1 &gt; 0.9 → 0.5.
    [Fact]
    public void SpgBacktrackingStepIsTheSafeguardedQuadraticMinimiser()
    {
        Assert.Equal(0.2, SpectralProjectedGradient.Interpolate(1, rise: 3, decrease: -2), 14);
        Assert.Equal(0.5, SpectralProjectedGradient.Interpolate(2, rise: 4, decrease: -4), 14);
        Assert.Equal(0.1, SpectralProjectedGradient.Interpolate(1, rise: 4, decrease: -1));
        Assert.Equal(0.9, SpectralProjectedGradient.Interpolate(1, rise: -4, decrease: -9));
        Assert.Equal(1.0, SpectralProjectedGradient.Interpolate(2, rise: 1.7, decrease: -0.3));
        Assert.Equal(1.2, SpectralProjectedGradient.Interpolate(2, rise: -1.0 / 3, decrease: -2), 14);
        Assert.Equal(0.5, SpectralProjectedGradient.Interpolate(1, rise: -0.95, decrease: -2));
    }
}
