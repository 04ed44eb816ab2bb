using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>
/// Splits a held-out part off a prepared data set's validation set, for model selection: the rest stays the validation
/// set the outer objective f is computed on, the held-out rows only judge iterates. One seeded permutation of the
/// validation rows (a SplitMix64 stream of its own, so the main split and corruption are unchanged), its first
/// round(fraction·N') rows held out; both parts keep the validation set's row order.
/// </summary>
/// <param name="Optimization">The data set with the remaining validation rows.</param>
/// <param name="XHoldout">Held-out features.</param>
/// <param name="YHoldout">Held-out one-hot targets.</param>
/// <param name="HoldoutRows">Rows of the original validation set that were held out (ascending).</param>
/// <param name="OptimizationRows">Rows of the original validation set that remain (ascending).</param>
public sealed record HoldoutSplit(PreparedDataset Optimization, Matrix XHoldout, Matrix YHoldout, int[] HoldoutRows, int[] OptimizationRows)
{
    /// <summary>The stream's offset from the run's seed (any constant other than the main split's 0).</summary>
    private const ulong StreamOffset = 0x486F6C646F7574UL; // "Holdout"

    /// <summary>Holds out round(<paramref name="fraction"/>·N') validation rows.</summary>
    /// <param name="data">The prepared data.</param>
    /// <param name="fraction">In (0, 1); both parts must keep at least one row.</param>
    /// <param name="seed">The run's seed.</param>
    /// <exception cref="ArgumentOutOfRangeException">The fraction leaves a part empty.</exception>
    public static HoldoutSplit Create(PreparedDataset data, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        int rows = data.XValidation.Rows;
        int held = (int)Math.Round(fraction * rows, MidpointRounding.AwayFromZero);
        if (!(fraction > 0 && fraction < 1) || held < 1 || held > rows - 1)
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction,
                $"--holdout must lie in (0, 1) and leave at least one of the {rows} validation rows on each side (it holds out {held}).");
        var order = new SplitMix64(unchecked((ulong)seed + StreamOffset)).Permutation(rows);
        var holdout = order.AsSpan(0, held).ToArray();
        var rest = order.AsSpan(held).ToArray();
        Array.Sort(holdout);
        Array.Sort(rest);
        var optimization = data with { XValidation = Rows(data.XValidation, rest), YValidation = Rows(data.YValidation, rest) };
        return new HoldoutSplit(optimization, Rows(data.XValidation, holdout), Rows(data.YValidation, holdout), holdout, rest);
    }

    private static Matrix Rows(Matrix source, int[] rows)
    {
        var m = new Matrix(rows.Length, source.Columns);
        for (int i = 0; i < rows.Length; i++) source.Row(rows[i]).CopyTo(m.Row(i));
        return m;
    }
}
