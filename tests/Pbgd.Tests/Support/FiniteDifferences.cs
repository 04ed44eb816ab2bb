using Pbgd.Problems;

namespace Pbgd.Tests.Support;

/// Central finite differences of f and g, as the independent reference for every analytic gradient.
internal static class FiniteDifferences
{
    /// The relative error ‖analytic − numeric‖ / max(‖numeric‖, 1e−8) of one gradient block.
    internal static double RelativeError(IBilevelProblem problem, double[] u, double[] v, bool upper, bool blockU)
    {
        var gu = new double[u.Length];
        var gv = new double[v.Length];
        if (upper) problem.Upper(u, v, gu, gv); else problem.Lower(u, v, gu, gv);
        var analytic = blockU ? gu : gv;
        var x = blockU ? u : v;
        var numeric = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double keep = x[i], h = 1e-5 * Math.Max(1, Math.Abs(keep));
            x[i] = keep + h;
            double plus = upper ? problem.Upper(u, v, default, default) : problem.Lower(u, v, default, default);
            x[i] = keep - h;
            double minus = upper ? problem.Upper(u, v, default, default) : problem.Lower(u, v, default, default);
            x[i] = keep;
            numeric[i] = (plus - minus) / (2 * h);
        }
        double diff = 0, norm = 0;
        for (int i = 0; i < x.Length; i++) { diff += Math.Pow(analytic[i] - numeric[i], 2); norm += numeric[i] * numeric[i]; }
        return Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-8);
    }
}
