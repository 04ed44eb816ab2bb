namespace Pbgd.Synthetic;

/// Standard normal draws by Box–Muller from a seeded System.Random (whose seeded sequence is stable across
/// .NET versions), so generated instances are reproducible.
internal static class Gaussian
{
    internal static double Next(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    internal static void Fill(Random random, Span<double> values, double scale = 1.0)
    {
        for (int i = 0; i < values.Length; i++) values[i] = scale * Next(random);
    }
}
