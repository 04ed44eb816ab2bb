using Pbgd.Problems;

namespace Pbgd.Benchmarks;

/// The levers `--bench perf` switches, one row each.
internal static class Variants
{
    internal static (string Name, bool SeparatePasses, DataPrecision Precision)[] CrossEntropy =>
    [
        ("fused kernel passes, g at v and ω in separate passes", true, DataPrecision.Double),
        ("fused kernel passes, g at v and ω side by side (one pass)", false, DataPrecision.Double),
        ("float32 data (--precision single), g at v and ω side by side", false, DataPrecision.Single),
    ];

    // Solver: the exact-solver chain (a preset of Pbgd.LeastSquares.LeastSquaresRegistry).
    internal static (string Name, string Solver, double Tolerance, DataPrecision Precision)[] Squared =>
    [
        ("Auto (default): normal equations (rejected on MNIST, retried every 50 solves), else PCG at 1e−11, else gelsd", "auto", 1e-11, DataPrecision.Double),
        ("QR / gelsd", "qr", 1e-11, DataPrecision.Double),
        ("PCG on the normal equations, both solves side by side, backward error ≤ 1e−11", "cg", 1e-11, DataPrecision.Double),
        ("PCG on the normal equations, both solves side by side, backward error ≤ 1e−10", "cg", 1e-10, DataPrecision.Double),
        ("PCG, A·P passes on float32 X (true residuals in double), backward error ≤ 1e−11", "cg", 1e-11, DataPrecision.Single),
    ];

    // Hides the optional one-pass interfaces, so the solver falls back to one call per evaluation.
    internal static IBilevelProblem Unpair(IBilevelProblem problem) => new Unpaired(problem);

    private sealed class Unpaired(IBilevelProblem inner) : IBilevelProblem, IExactLowerLevel, IExactPenalizedLowerLevel
    {
        public int UpperDimension => inner.UpperDimension;
        public int LowerDimension => inner.LowerDimension;
        public double Upper(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV) => inner.Upper(u, v, gradU, gradV);
        public double Lower(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> gradU, Span<double> gradV) => inner.Lower(u, v, gradU, gradV);
        public void ProjectUpper(Span<double> u) => inner.ProjectUpper(u);
        public Smoothness EstimateSmoothness(ReadOnlySpan<double> u, ReadOnlySpan<double> v) => inner.EstimateSmoothness(u, v);
        public LowerSolveInfo SolveLower(ReadOnlySpan<double> u, Span<double> vStar) => ((IExactLowerLevel)inner).SolveLower(u, vStar);
        public LowerSolveInfo MinimizePenalized(ReadOnlySpan<double> u, double gamma, Span<double> v) => ((IExactPenalizedLowerLevel)inner).MinimizePenalized(u, gamma, v);
    }
}
