namespace Pbgd.Native;

/// Argument validation shared by the wrappers: every size is checked here, in managed code, before a native
/// call, because BLAS/LAPACK report bad arguments by printing to stdout (or not at all).
internal static class Check
{
    internal static void NonNegative(int value, string name)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative.");
    }

    /// Checks that a span holds a rows×cols matrix with leading dimension ld in the given layout.
    internal static void Matrix(MatrixLayout layout, int rows, int cols, int ld, int length, string name, string ldName)
    {
        int inner = layout == MatrixLayout.RowMajor ? cols : rows;
        int outer = layout == MatrixLayout.RowMajor ? rows : cols;
        if (ld < Math.Max(1, inner))
            throw new ArgumentOutOfRangeException(ldName, ld,
                $"{ldName} = {ld} is smaller than max(1, {(layout == MatrixLayout.RowMajor ? "columns" : "rows")}) = {Math.Max(1, inner)} of {name} ({rows}×{cols}, {layout}).");
        long needed = rows == 0 || cols == 0 ? 0 : (long)(outer - 1) * ld + inner;
        if (length < needed)
            throw new ArgumentException(
                $"{name} has {length} elements but a {rows}×{cols} {layout} matrix with {ldName} = {ld} needs {needed}.", name);
    }

    internal static void Layout(MatrixLayout layout)
    {
        if (layout is not (MatrixLayout.RowMajor or MatrixLayout.ColumnMajor))
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown matrix layout.");
    }

    internal static void Op(Transpose t, string name)
    {
        if (t is not (Transpose.NoTrans or Transpose.Trans))
            throw new ArgumentOutOfRangeException(name, t, $"Unknown transpose value for {name}.");
    }

    internal static void Uplo(Triangle t, string name)
    {
        if (t is not (Triangle.Upper or Triangle.Lower))
            throw new ArgumentOutOfRangeException(name, t, $"Unknown triangle value for {name}.");
    }

    internal static void Length(int length, long needed, string name, string what)
    {
        if (length < needed)
            throw new ArgumentException($"{name} has {length} elements but {what} needs {needed}.", name);
    }

    internal static void NoOverlap(ReadOnlySpan<double> input, Span<double> output, string inputName, string outputName)
    {
        if (!input.IsEmpty && !output.IsEmpty && input.Overlaps(output))
            throw new ArgumentException($"{outputName} overlaps {inputName}; BLAS requires distinct memory.", outputName);
    }

    /// Maps LAPACKE's own failure codes (memory, illegal argument) that every routine can return.
    internal static void Common(string routine, int info)
    {
        if (info == -1010 || info == -1011)
            throw new InsufficientMemoryException($"{routine}: LAPACKE could not allocate its workspace (info = {info}).");
        if (info < 0) throw new LapackArgumentException(routine, info);
    }
}
