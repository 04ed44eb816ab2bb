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
}
