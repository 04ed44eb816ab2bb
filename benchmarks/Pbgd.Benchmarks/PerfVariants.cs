using Pbgd.Problems;

namespace Pbgd.Benchmarks;

/// The levers `--bench perf` switches, one row each.
internal static class Variants
{
    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    private static IDisposable Nothing() => new Restore(() => { });

    internal static (string Name, Func<IDisposable> Setup)[] CrossEntropy =>
    [
        ("fused kernel passes, g at v and ω in separate passes", Nothing),
        ("fused kernel passes, g at v and ω side by side (one pass)", Nothing),
        ("float32 data (--precision single), g at v and ω side by side", Nothing),
    ];

    // The configuration a variant runs with.
    internal static Pbgd.Experiments.HyperCleaningConfig Configure(string name, Pbgd.Experiments.HyperCleaningConfig config) =>
        name.StartsWith("float32", StringComparison.Ordinal) ? config with { Precision = DataPrecision.Single } : config;

    internal static (string Name, Func<IDisposable> Setup, HyperCleaningExactSolver Solver, double Tolerance)[] Squared =>
    [
        ("Auto (default): normal equations (rejected on MNIST, retried every 50 solves), else PCG at 1e−11, else gelsd", Nothing, HyperCleaningExactSolver.Auto, 1e-11),
        ("QR / gelsd", Nothing, HyperCleaningExactSolver.Qr, 1e-11),
        ("PCG on the normal equations, both solves side by side, backward error ≤ 1e−11", Nothing, HyperCleaningExactSolver.ConjugateGradient, 1e-11),
        ("PCG on the normal equations, both solves side by side, backward error ≤ 1e−10", Nothing, HyperCleaningExactSolver.ConjugateGradient, 1e-10),
        ("PCG, A·P passes on float32 X (true residuals in double), backward error ≤ 1e−11", Nothing, HyperCleaningExactSolver.ConjugateGradient, 1e-11),
    ];

    // Hides the optional one-pass interfaces, so the solver falls back to one call per evaluation.
    internal static IBilevelProblem Wrap(string name, IBilevelProblem problem) =>
        name.Contains("separate", StringComparison.Ordinal) ? new Unpaired(problem) : problem;

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
