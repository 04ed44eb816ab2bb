namespace Pbgd.Optimization;

/// <summary>
/// Box bounds l ≤ x ≤ u, per coordinate, with −∞/+∞ for an unbounded side. Immutable once built.
/// </summary>
public sealed class Box
{
    private readonly double[] _lower;
    private readonly double[] _upper;

    /// <summary>Bounds copied from <paramref name="lower"/> and <paramref name="upper"/>.</summary>
    /// <param name="lower">Lower bounds (−∞ allowed, never NaN or +∞).</param>
    /// <param name="upper">Upper bounds (+∞ allowed, never NaN or −∞); same length, each ≥ its lower bound.</param>
    /// <exception cref="ArgumentException">Lengths differ, a bound is NaN or infinite on the wrong side, or l_i &gt; u_i.</exception>
    public Box(ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        if (lower.Length == 0) throw new ArgumentException("A box needs at least one coordinate.", nameof(lower));
        if (upper.Length != lower.Length)
            throw new ArgumentException($"upper has {upper.Length} entries, lower has {lower.Length}.", nameof(upper));
        for (int i = 0; i < lower.Length; i++)
        {
            if (double.IsNaN(lower[i]) || double.IsPositiveInfinity(lower[i]))
                throw new ArgumentException($"lower[{i}] = {lower[i]} (must be finite or −∞).", nameof(lower));
            if (double.IsNaN(upper[i]) || double.IsNegativeInfinity(upper[i]))
                throw new ArgumentException($"upper[{i}] = {upper[i]} (must be finite or +∞).", nameof(upper));
            if (lower[i] > upper[i])
                throw new ArgumentException($"lower[{i}] = {lower[i]} exceeds upper[{i}] = {upper[i]}.", nameof(upper));
        }
        _lower = lower.ToArray();
        _upper = upper.ToArray();
    }

    /// <summary>ℝⁿ: every coordinate unbounded.</summary>
    /// <param name="dimension">n ≥ 1.</param>
    public static Box Unbounded(int dimension) => Uniform(dimension, double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>The same bounds [<paramref name="lower"/>, <paramref name="upper"/>] on every coordinate.</summary>
    /// <param name="dimension">n ≥ 1.</param>
    /// <param name="lower">Lower bound of every coordinate.</param>
    /// <param name="upper">Upper bound of every coordinate.</param>
    public static Box Uniform(int dimension, double lower, double upper)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var l = new double[dimension];
        var u = new double[dimension];
        Array.Fill(l, lower);
        Array.Fill(u, upper);
        return new Box(l, u);
    }

    /// <summary>The number of coordinates n.</summary>
    public int Dimension => _lower.Length;

    /// <summary>The lower bounds.</summary>
    public ReadOnlySpan<double> Lower => _lower;

    /// <summary>The upper bounds.</summary>
    public ReadOnlySpan<double> Upper => _upper;

    /// <summary>Whether every coordinate of <paramref name="x"/> lies within its bounds (NaN never does).</summary>
    /// <param name="x">A point of length <see cref="Dimension"/>.</param>
    public bool Contains(ReadOnlySpan<double> x)
    {
        CheckLength(x.Length, nameof(x));
        for (int i = 0; i < x.Length; i++)
            if (!(x[i] >= _lower[i] && x[i] <= _upper[i])) return false;
        return true;
    }

    /// <summary>Writes the Euclidean projection P(x) (a per-coordinate clamp) into <paramref name="destination"/>.</summary>
    /// <param name="x">The point to project.</param>
    /// <param name="destination">Receives P(x); it may be <paramref name="x"/> itself (element-wise, so exact
    /// overlap is safe).</param>
    public void Project(ReadOnlySpan<double> x, Span<double> destination)
    {
        CheckLength(x.Length, nameof(x));
        CheckLength(destination.Length, nameof(destination));
        for (int i = 0; i < x.Length; i++) destination[i] = Clamp(x[i], i);
    }

    /// <summary>
    /// The gradient-mapping norm ‖x − P(x − g)‖∞, the first-order optimality measure on the box: it is zero exactly
    /// at a KKT point, equals ‖g‖∞ where no bound is near, and ignores gradient components that push against an
    /// active bound. It mixes units of x and g, as L-BFGS-B's pgtol does.
    /// </summary>
    /// <param name="x">A point inside the box.</param>
    /// <param name="gradient">The gradient at <paramref name="x"/>.</param>
    public double ProjectedGradientNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> gradient)
    {
        CheckLength(x.Length, nameof(x));
        CheckLength(gradient.Length, nameof(gradient));
        double norm = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double r = Math.Abs(x[i] - Clamp(x[i] - gradient[i], i));
            if (double.IsNaN(r)) return double.NaN;
            if (r > norm) norm = r;
        }
        return norm;
    }

    internal double Clamp(double value, int i) => value < _lower[i] ? _lower[i] : value > _upper[i] ? _upper[i] : value;

    private void CheckLength(int length, string name)
    {
        if (length != _lower.Length)
            throw new ArgumentException($"{name} has {length} entries, the box has {_lower.Length}.", name);
    }
}
