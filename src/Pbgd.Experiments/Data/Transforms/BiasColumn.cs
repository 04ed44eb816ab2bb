using Pbgd.Linalg;

namespace Pbgd.Data;

/// <summary>The constant feature that gives a linear model without its own intercept a bias.</summary>
public static class BiasColumn
{
    /// <summary>A copy of <paramref name="x"/> with a last column of ones.</summary>
    /// <param name="x">N×m features.</param>
    /// <returns>N×(m+1).</returns>
    public static Matrix Append(Matrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = new Matrix(x.Rows, x.Columns + 1);
        for (int i = 0; i < x.Rows; i++)
        {
            var row = y.Row(i);
            x.Row(i).CopyTo(row);
            row[^1] = 1;
        }
        return y;
    }
}
