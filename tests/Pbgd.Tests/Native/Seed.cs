namespace Pbgd.Tests.Native;

/// Deterministic seeds for System.Random. (HashCode.Combine is randomised per process, so a seed built with
/// it would change from run to run.)
internal static class Seed
{
    internal static int Of(params int[] parts)
    {
        unchecked
        {
            int h = 17;
            foreach (int p in parts) h = h * 31 + p;
            return h;
        }
    }
}
