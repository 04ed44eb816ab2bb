namespace Pbgd.Tests.Data;

/// An independent re-implementation of the library's seeded permutation (SplitMix64 as published by Steele, Lea &
/// Flood; Lemire's multiply-shift bounded draw written with Math.BigMul; Fisher–Yates from the top), so that tests
/// can assert exact split indices without calling the code under test.
internal static class ReferencePermutation
{
    public static ulong Next(ref ulong state)
    {
        state = unchecked(state + 0x9E3779B97F4A7C15UL);
        ulong z = state;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    public static int Below(ref ulong state, int n)
    {
        ulong bound = (ulong)n;
        ulong high = Math.BigMul(Next(ref state), bound, out ulong low);
        if (low < bound)
        {
            ulong threshold = unchecked(0UL - bound) % bound;
            while (low < threshold) high = Math.BigMul(Next(ref state), bound, out low);
        }
        return (int)high;
    }

    public static int[] Permutation(ref ulong state, int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = Below(ref state, i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
