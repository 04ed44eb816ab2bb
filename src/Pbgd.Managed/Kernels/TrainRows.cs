using Pbgd.Distributed;
using Pbgd.Linalg;

namespace Pbgd.Kernels;

/// <summary>
/// The training rows a problem and its exact solvers read, stored in double (<see cref="Matrix"/>) or in single precision
/// only (<see cref="SingleRows"/>, the float-only storage mode). Everything the double path computes is computed in double
/// either way: a float row is widened exactly before use, so the float-only mode solves the problem of X rounded to float.
/// </summary>
internal sealed class TrainRows
{
    internal TrainRows(Matrix x) => (Double, Rows, Columns) = (x, x.Rows, x.Columns);

    internal TrainRows(SingleRows x) => (Single, Rows, Columns) = (x, x.Rows, x.Columns);

    /// <summary>The double storage (null in the float-only mode).</summary>
    internal Matrix? Double { get; }

    /// <summary>The float storage of the float-only mode (null otherwise).</summary>
    internal SingleRows? Single { get; }

    internal int Rows { get; }

    internal int Columns { get; }

    /// <summary>Whether only the float values are kept.</summary>
    internal bool SingleOnly => Single is not null;

    /// <summary>A fused pass in double arithmetic over the shard's rows (<see cref="FusedRowPass"/>).</summary>
    internal void Pass(RowShard shard, ReadOnlySpan<double> bT, int k, Span<double> z, IRowOperation? op, Span<double> coef, int kOut,
        Span<double> gT, Span<double> partials)
    {
        Passes++;
        if (Double is { } x) FusedRowPass.Run(shard, x.Span, Columns, bT, k, z, op, coef, kOut, gT, partials);
        else FusedRowPass.RunWidened(shard, Single!.Span, Columns, bT, k, z, op, coef, kOut, gT, partials);
    }

    /// <summary>scale·row i, in double.</summary>
    internal void RowScaled(int i, double scale, Span<double> destination)
    {
        if (Double is { } x)
        {
            var src = x.Span.Slice(i * Columns, Columns);
            for (int j = 0; j < Columns; j++) destination[j] = scale * src[j];
            return;
        }
        var row = Single!.Row(i);
        for (int j = 0; j < Columns; j++) destination[j] = scale * row[j];
    }

    /// <summary>scale·row i rounded to float (the single-precision Gram of the preconditioner).</summary>
    internal void RowToSingle(int i, double scale, Span<float> destination)
    {
        if (Double is { } x)
        {
            ScaledToSingle.Run(x.Span.Slice(i * Columns, Columns), scale, destination);
            return;
        }
        var row = Single!.Row(i);
        for (int j = 0; j < Columns; j++) destination[j] = (float)(scale * row[j]);
    }

    /// <summary>Passes in double arithmetic over training rows so far, in this process (the MPI benchmark's count).</summary>
    internal static long Passes;

    /// <summary>Bytes per stored value (8, or 4 in the float-only mode).</summary>
    internal int BytesPerValue => Double is null ? 4 : 8;

    /// <summary>Bytes of this process's rows as stored (the memory the storage mode saves).</summary>
    internal long Bytes => Double is { } x ? 8L * x.Rows * x.Columns : Single!.Bytes;
}
