namespace Pbgd.Tests.Native;

/// Product shapes (m, n, k): the edge cases every test must cover, then shapes drawn from a seed.
internal static class Shapes
{
    private static readonly (int M, int N, int K)[] Edges =
    [
        (1, 1, 1), (0, 0, 0), (0, 3, 2), (3, 0, 2), (4, 5, 0), (1, 1, 0), // 1×1 and every zero-sized dimension
        (1, 37, 5), (37, 1, 5), (40, 2, 3), (2, 40, 3), (2, 3, 61), (1, 1, 64), // thin, wide, long inner
        (67, 45, 131), // big enough for MKL's blocked kernels
    ];

    internal static IEnumerable<(int M, int N, int K)> Products(int seed)
    {
        foreach (var s in Edges) yield return s;
        var random = new Random(seed);
        for (int t = 0; t < 8; t++)
            yield return (Draw(random), Draw(random), Draw(random));
    }

    /// 0..32, with 0 and 1 each drawn about one time in eight.
    private static int Draw(Random random) => random.Next(8) switch { 0 => 0, 1 => 1, _ => random.Next(2, 33) };

    /// Padding for a leading dimension: 0 (tight) to 3.
    internal static int Pad(Random random) => random.Next(0, 4);
}
