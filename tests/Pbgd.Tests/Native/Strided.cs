using Pbgd.Native;
using Pbgd.Tests.Reference;

namespace Pbgd.Tests.Native;

/// A matrix stored in an array with a leading dimension larger than its rows (or columns) need, followed by
/// a few spare slots. Every slot that is not an element of the matrix holds a NaN sentinel with a distinctive
/// payload: a routine that reads padding gets NaN into its results (and fails any bound), and a routine that
/// writes padding is caught by <see cref="PaddingIntact"/>, which compares bit patterns.
internal sealed class Strided
{
    internal static readonly double Sentinel = BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF);

    private Strided(double[] data, MatrixLayout layout, int rows, int cols, int ld)
    {
        Data = data;
        Layout = layout;
        Rows = rows;
        Cols = cols;
        Ld = ld;
    }

    internal double[] Data { get; }
    internal MatrixLayout Layout { get; }
    internal int Rows { get; }
    internal int Cols { get; }
    internal int Ld { get; }

    internal int Index(int i, int j) => ManagedBlas.Index(Layout, i, j, Ld);

    internal double this[int i, int j]
    {
        get => Data[Index(i, j)];
        set => Data[Index(i, j)] = value;
    }

    /// A rows×cols matrix with ld = max(1, inner) + pad and pad spare slots after it, elements from value(i, j).
    internal static Strided Create(MatrixLayout layout, int rows, int cols, int pad, Func<int, int, double> value)
    {
        int inner = layout == MatrixLayout.RowMajor ? cols : rows;
        int outer = layout == MatrixLayout.RowMajor ? rows : cols;
        int ld = Math.Max(1, inner) + pad;
        var data = new double[outer * ld + pad];
        Array.Fill(data, Sentinel);
        var m = new Strided(data, layout, rows, cols, ld);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) m[i, j] = value(i, j);
        return m;
    }

    /// Seeded entries uniform in [−1, 1).
    internal static Strided Random(Random random, MatrixLayout layout, int rows, int cols, int pad) =>
        Create(layout, rows, cols, pad, (_, _) => 2 * random.NextDouble() - 1);

    /// A matrix whose elements are NaN sentinels too (an output that must not be read).
    internal static Strided Unset(MatrixLayout layout, int rows, int cols, int pad) =>
        Create(layout, rows, cols, pad, (_, _) => Sentinel);

    internal static Strided FromDense(double[,] a, MatrixLayout layout, int pad) =>
        Create(layout, a.GetLength(0), a.GetLength(1), pad, (i, j) => a[i, j]);

    internal double[,] ToDense() => ToDense(Rows, Cols);

    /// The leading rows×cols block (e.g. the n solution rows of a max(m, n)-row right-hand side).
    internal double[,] ToDense(int rows, int cols)
    {
        var a = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) a[i, j] = this[i, j];
        return a;
    }

    internal Strided Clone() => new((double[])Data.Clone(), Layout, Rows, Cols, Ld);

    /// Same storage with every value replaced by its absolute value (sentinels stay NaN, are never read).
    internal Strided Abs() => new(ManagedBlas.Abs(Data), Layout, Rows, Cols, Ld);

    /// Whether every slot outside the matrix still holds the sentinel, bit for bit.
    internal bool PaddingIntact()
    {
        var inside = new bool[Data.Length];
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++) inside[Index(i, j)] = true;
        for (int k = 0; k < Data.Length; k++)
            if (!inside[k] && BitConverter.DoubleToInt64Bits(Data[k]) != BitConverter.DoubleToInt64Bits(Sentinel)) return false;
        return true;
    }

    /// A vector of n seeded values followed by `tail` sentinels (which must be neither read nor written).
    internal static double[] Vector(Random random, int n, int tail)
    {
        var v = new double[n + tail];
        for (int i = 0; i < n; i++) v[i] = 2 * random.NextDouble() - 1;
        for (int i = n; i < v.Length; i++) v[i] = Sentinel;
        return v;
    }

    internal static bool TailIntact(double[] v, int n)
    {
        for (int i = n; i < v.Length; i++)
            if (BitConverter.DoubleToInt64Bits(v[i]) != BitConverter.DoubleToInt64Bits(Sentinel)) return false;
        return true;
    }
}
