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
        ("MKL gemm per product (before)", Nothing),
    ];

    internal static (string Name, Func<IDisposable> Setup, HyperCleaningExactSolver Solver)[] Squared =>
    [
        ("Auto: normal equations, gelsd fallback (before)", Nothing, HyperCleaningExactSolver.Auto),
        ("QR / gelsd", Nothing, HyperCleaningExactSolver.Qr),
    ];

    internal static IBilevelProblem Wrap(string name, IBilevelProblem problem) => problem;
}
