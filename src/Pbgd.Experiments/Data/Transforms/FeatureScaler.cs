using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>
/// A per-column affine map x ↦ (x − offset)·scale, fitted on training features and applied unchanged to the
/// validation and test features. Its two arrays are its whole state, so it can be saved with a run.
/// </summary>
public sealed class FeatureScaler
{
    // A column whose spread is at rounding level (a constant column whose computed mean is off by one ulp) would be
    // blown up to noise of size 1 by 1/sd: treat it as constant.
    private const double RelativeZeroSpread = 1e-12;
    private readonly double[] _offset, _scale;

    /// <summary>Creates a scaler from saved state.</summary>
    /// <param name="offset">Subtracted from each column.</param>
    /// <param name="scale">Then multiplied into each column.</param>
    public FeatureScaler(double[] offset, double[] scale)
    {
        ArgumentNullException.ThrowIfNull(offset);
        ArgumentNullException.ThrowIfNull(scale);
        if (offset.Length != scale.Length)
            throw new ArgumentException($"{offset.Length} offsets but {scale.Length} scales.", nameof(scale));
        _offset = (double[])offset.Clone();
        _scale = (double[])scale.Clone();
    }

    /// <summary>Subtracted from each column.</summary>
    public IReadOnlyList<double> Offset => _offset;

    /// <summary>Multiplied into each column after the offset.</summary>
    public IReadOnlyList<double> Scale => _scale;

    /// <summary>x / divisor in every column (pixels / 255).</summary>
    /// <param name="columns">m.</param>
    /// <param name="divisor">The divisor, nonzero.</param>
    public static FeatureScaler Divide(int columns, double divisor = 255)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (divisor == 0 || !double.IsFinite(divisor)) throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "must be finite and nonzero.");
        var scale = new double[columns];
        Array.Fill(scale, 1 / divisor);
        return new FeatureScaler(new double[columns], scale);
    }

    /// <summary>Standardisation fitted on <paramref name="train"/>: subtract the column mean, divide by the column's
    /// population standard deviation; a zero-variance column (MNIST's blank border pixels) maps to 0.</summary>
    /// <param name="train">The training features (at least one row).</param>
    public static FeatureScaler Standardize(Matrix train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Rows == 0) throw new ArgumentException("cannot fit on zero rows.", nameof(train));
        int m = train.Columns;
        var mean = new double[m];
        var maxAbs = new double[m];
        for (int i = 0; i < train.Rows; i++)
        {
            var row = train.Row(i);
            for (int j = 0; j < m; j++) { mean[j] += row[j]; maxAbs[j] = Math.Max(maxAbs[j], Math.Abs(row[j])); }
        }
        for (int j = 0; j < m; j++) mean[j] /= train.Rows;
        // Corrected two-pass algorithm (Chan, Golub & LeVeque): deviations from the first-pass mean, whose sum
        // corrects that mean's rounding error, rather than E[x²] − E[x]², which cancels.
        var variance = new double[m];
        var drift = new double[m];
        for (int i = 0; i < train.Rows; i++)
        {
            var row = train.Row(i);
            for (int j = 0; j < m; j++) { double d = row[j] - mean[j]; drift[j] += d; variance[j] += d * d; }
        }
        for (int j = 0; j < m; j++)
        {
            variance[j] = Math.Max(0, variance[j] - drift[j] * drift[j] / train.Rows);
            mean[j] += drift[j] / train.Rows;
        }
        var scale = new double[m];
        for (int j = 0; j < m; j++)
        {
            double sd = Math.Sqrt(variance[j] / train.Rows);
            scale[j] = sd > RelativeZeroSpread * maxAbs[j] ? 1 / sd : 0;
        }
        return new FeatureScaler(mean, scale);
    }

    /// <summary>Transforms a matrix in place.</summary>
    /// <param name="x">Features with this scaler's column count.</param>
    public void Apply(Matrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Columns != _scale.Length)
            throw new ArgumentException($"{x.Columns} columns, but the scaler was fitted on {_scale.Length}.", nameof(x));
        for (int i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            for (int j = 0; j < row.Length; j++) row[j] = (row[j] - _offset[j]) * _scale[j];
        }
    }
}
