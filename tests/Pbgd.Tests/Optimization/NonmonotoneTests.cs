using Pbgd.Optimization;
using Xunit.Abstractions;

namespace Pbgd.Tests.Optimization;

/// SPG's Grippo–Lampariello–Lucidi rule, checked from the outside: the observer records every accepted point, and
/// the test recomputes, for each step, max of the last M accepted values plus c₁·gₖᵀ(xₖ₊₁ − xₖ) and checks the
/// new value does not exceed it.
public class NonmonotoneTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(10)]
    [InlineData(4)]
    [InlineData(1)]
    public void AcceptedValuesNeverExceedTheWindowMaximumPlusTheArmijoTerm(int window)
    {
        const int n = 10;
        var options = new BoxMinimizerOptions { NonmonotoneWindow = window, MaxIterations = 400, GradientTolerance = 0 };
        var minimizer = new SpectralProjectedGradient(new Rosenbrock(n), Box.Uniform(n, -2, 0.9), options);
        var values = new List<double>();
        var points = new List<double[]>();
        var gradients = new List<double[]>();
        minimizer.Observer = (in MinimizerProgress p, ReadOnlySpan<double> x, ReadOnlySpan<double> g) =>
        {
            values.Add(p.Value);
            points.Add(x.ToArray());
            gradients.Add(g.ToArray());
        };
        minimizer.Init(Rosenbrock.Start(n));
        values.Add(minimizer.Value);
        points.Add(minimizer.Point.ToArray());
        gradients.Add(minimizer.Gradient.ToArray());
        minimizer.Run();
        Assert.True(values.Count > 100, $"only {values.Count - 1} steps were taken ({minimizer.Status})");

        int increases = 0;
        for (int k = 0; k + 1 < values.Count; k++)
        {
            double reference = double.NegativeInfinity;
            for (int j = Math.Max(0, k - window + 1); j <= k; j++) reference = Math.Max(reference, values[j]);
            double armijo = 0;
            for (int i = 0; i < n; i++) armijo += gradients[k][i] * (points[k + 1][i] - points[k][i]);
            Assert.True(armijo < 0, $"step {k + 1}: gᵀs = {armijo} is not a descent step");
            Assert.True(values[k + 1] <= reference + options.ArmijoConstant * armijo,
                $"step {k + 1}: f = {values[k + 1]:R} > max(window) {reference:R} + c₁gᵀs {options.ArmijoConstant * armijo:R}");
            if (values[k + 1] > values[k]) increases++;
        }
        output.WriteLine($"M = {window}: {values.Count - 1} steps, {increases} increases of f");
        // The window is really used: BB steps raise f now and then unless M = 1, where every step decreases f.
        if (window == 1) Assert.Equal(0, increases);
        else Assert.True(increases > 0, "no nonmonotone step was taken: the window had no effect");
    }

    /// The reference is the maximum over the whole window, wherever it sits in the ring. A tabulated 1-D objective
    /// with ∇f = 2 and λ = ½ (every BB pair has y = 0, is skipped, and λ restarts at 1/‖pg‖∞ = ½) steps x = 0, −1,
    /// −2, −3, −4 with f = 10, 4, 9, 3, 8.5 and window M = 3: before the fourth step the ring holds 3 (slot 0,
    /// newest), 4 and 9, so 8.5 ≤ max = 9 minus c₁·2 is accepted although it exceeds the newest value and the one in
    /// slot 0. Any other trial point is not in the table and fails the test.
    [Fact]
    public void ReferenceIsTheMaximumOfTheWholeWindow()
    {
        var objective = new Tabulated(new() { [0.0] = 10, [-1.0] = 4, [-2.0] = 9, [-3.0] = 3, [-4.0] = 8.5 }, slope: 2);
        var options = new BoxMinimizerOptions { NonmonotoneWindow = 3, InitialStep = 0.5, GradientTolerance = 0 };
        var minimizer = new SpectralProjectedGradient(objective, Box.Unbounded(1), options);
        minimizer.Init([0.0]);
        for (int k = 1; k <= 4; k++)
        {
            Assert.Equal(StopReason.None, minimizer.Step());
            Assert.Equal(-k, minimizer.Point[0]);
            Assert.Equal(0.5, minimizer.SpectralStep);
        }
        Assert.Equal(8.5, minimizer.Value);
        Assert.Equal(new MinimizerCounts(4, 5, 0, 4, 0, 0), minimizer.Counts);
    }
}
