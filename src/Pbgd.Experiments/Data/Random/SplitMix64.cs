namespace Pbgd.Data;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood 2014): a small, fast PRNG whose whole state is one 64-bit word, so a run can
/// save and restore it (System.Random's state cannot be saved). Used for splits and label corruption.
/// </summary>
public sealed class SplitMix64
{
    /// <summary>Seeds the generator.</summary>
    /// <param name="seed">Any value.</param>
    public SplitMix64(ulong seed) => State = seed;

    /// <summary>The complete state; assign a saved value to resume the sequence.</summary>
    public ulong State { get; set; }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n) without modulo bias (Lemire's method).</summary>
    /// <param name="n">Upper bound, ≥ 1.</param>
    public int Next(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ulong bound = (ulong)n;
        while (true)
        {
            UInt128 product = (UInt128)NextUInt64() * bound;
            ulong low = (ulong)product;
            if (low >= bound || low >= (0UL - bound) % bound) return (int)(product >> 64);
        }
    }

    /// <summary>Fisher–Yates shuffle of 0…n−1.</summary>
    /// <param name="n">Length.</param>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
