namespace Pbgd.Problems;

/// <summary>The argument checks every <see cref="ILowerLevelSecondOrder"/> product shares, done before any work.</summary>
internal static class SecondOrderShapes
{
    /// <summary>u has n, v has p entries; the direction and destination have the lengths of the blocks they live in.</summary>
    internal static void Check(int n, int p, ReadOnlySpan<double> u, ReadOnlySpan<double> v, ReadOnlySpan<double> direction,
        bool directionInU, ReadOnlySpan<double> destination, bool destinationInU)
    {
        if (u.Length != n) throw new ArgumentException($"u has {u.Length} elements; expected {n}.", nameof(u));
        if (v.Length != p) throw new ArgumentException($"v has {v.Length} elements; expected {p}.", nameof(v));
        int d = directionInU ? n : p, o = destinationInU ? n : p;
        if (direction.Length != d)
            throw new ArgumentException($"the direction has {direction.Length} elements; expected {d} (the length of {(directionInU ? "u" : "v")}).", nameof(direction));
        if (destination.Length != o)
            throw new ArgumentException($"destination has {destination.Length} elements; expected {o} (the length of {(destinationInU ? "u" : "v")}).", nameof(destination));
        if (destination.Overlaps(u) || destination.Overlaps(v) || destination.Overlaps(direction))
            throw new ArgumentException("destination overlaps an input.", nameof(destination));
    }
}
