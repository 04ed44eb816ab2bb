namespace Pbgd.LeastSquares;

/// <summary>
/// Warm starts by extrapolation: the weights move along a smooth path, so the solutions do too, and a solve starts from
/// W_k + θ(W_k − W_{k−1}) with θ = ½ (the last solution alone when only one exists). The full step θ = 1 would also
/// double whatever the last solve changed in the near-null directions of the Gram matrix, which CG then spends steps
/// undoing.
/// </summary>
internal sealed class PcgWarmStart(int systemLength)
{
    private const double Extrapolation = 0.5;

    /// <summary>The solutions before the current ones (transposed, both systems).</summary>
    internal double[] Previous { get; } = new double[2 * systemLength];

    /// <summary>Per system: whether the current solution comes from an accepted solve.</summary>
    internal bool[] PreviousValid { get; } = new bool[2];

    /// <summary>Per system: whether <see cref="Previous"/> holds an accepted solution too (then extrapolate).</summary>
    internal bool[] HaveTwo { get; } = new bool[2];

    /// <summary>Turns the current solutions into the starting points of the next solve.</summary>
    /// <param name="x">Both systems' solutions (transposed), updated in place.</param>
    /// <param name="penalized">Whether system 2 is solved too.</param>
    internal void Extrapolate(Span<double> x, bool penalized)
    {
        var previous = Previous.AsSpan();
        for (int s = 0; s < (penalized ? 2 : 1); s++)
        {
            var xs = x.Slice(s * systemLength, systemLength);
            var ps = previous.Slice(s * systemLength, systemLength);
            if (PreviousValid[s] && HaveTwo[s])
                for (int k = 0; k < systemLength; k++) (xs[k], ps[k]) = (xs[k] + Extrapolation * (xs[k] - ps[k]), xs[k]);
            else
                xs.CopyTo(ps);
            HaveTwo[s] = PreviousValid[s];
            PreviousValid[s] = false;
        }
    }

    /// <summary>Marks the solutions of an accepted solve.</summary>
    internal void Accept(bool penalized)
    {
        PreviousValid[0] = true;
        PreviousValid[1] = penalized;
    }
}
