using Pbgd.Native;

namespace Pbgd.Tests.Native;

/// Seeded random matrices stored with a leading dimension larger than needed; the padding holds NaN sentinels
/// so that a routine which reads or writes outside the matrix shows up in the results or in the padding.
internal static class RandomMatrices
{
    internal static (double[] Data, int Ld) Create(Random random, MatrixLayout layout, int rows, int cols, int pad)
    {
        int inner = layout == MatrixLayout.RowMajor ? cols : rows;
        int outer = layout == MatrixLayout.RowMajor ? rows : cols;
        int ld = Math.Max(1, inner) + pad;
        var data = new double[Math.Max(1, outer) * ld];
        Array.Fill(data, double.NaN);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                data[Reference.ReferenceBlas.Index(layout, i, j, ld)] = 2 * random.NextDouble() - 1;
        return (data, ld);
    }

    /// Whether every padding slot (outside the rows×cols matrix) still holds its NaN sentinel.
    internal static bool PaddingIntact(double[] data, MatrixLayout layout, int rows, int cols, int ld)
    {
        var inside = new bool[data.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) inside[Reference.ReferenceBlas.Index(layout, i, j, ld)] = true;
        for (int k = 0; k < data.Length; k++)
            if (!inside[k] && !double.IsNaN(data[k])) return false;
        return true;
    }

    internal static double Frobenius(IEnumerable<double> values) => Math.Sqrt(values.Sum(v => v * v));
}
