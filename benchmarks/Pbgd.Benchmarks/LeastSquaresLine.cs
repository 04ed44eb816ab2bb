namespace Pbgd.Benchmarks;

/// <summary>The straight-line fits the iteration-count studies use for their laws (log-count against log or log² of 1/ε).</summary>
internal static class LeastSquaresLine
{
    internal static (double Slope, double Intercept) Fit(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum(), sxx = x.Sum(a => (a - mx) * (a - mx));
        double slope = sxx == 0 ? 0 : sxy / sxx;
        return (slope, my - slope * mx);
    }

    internal static double Rms(double[] y, double[] fit) => Math.Sqrt(y.Zip(fit, (a, b) => (a - b) * (a - b)).Average());
}
