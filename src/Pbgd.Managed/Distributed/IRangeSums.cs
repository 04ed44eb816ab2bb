namespace Pbgd.Distributed;

/// <summary>
/// Sums over a range of rows (or vector entries) that <see cref="RowShard.Sum{T}"/> and <see cref="VectorLayout.Sum{T}"/>
/// call once per fixed part; implement it on a (ref) struct that holds the spans it reads, and accumulate the terms in
/// index order, starting from the zeros the sums hold on entry.
/// </summary>
public interface IRangeSums
{
    /// <summary>Adds the terms of entries [<paramref name="start"/>, <paramref name="end"/>) to <paramref name="sums"/>.</summary>
    /// <param name="start">First local index.</param>
    /// <param name="end">One past the last local index.</param>
    /// <param name="sums">Zeros on entry; one sum per quantity.</param>
    void Add(int start, int end, scoped Span<double> sums);
}

/// <summary>Computes one local part's partial on demand for <see cref="RowShard.SumParts{T}(T, int, Span{double})"/>.</summary>
public interface IPartialSource
{
    /// <summary>Writes local part <paramref name="localPart"/>'s partial.</summary>
    /// <param name="localPart">0 … <see cref="RowShard.LocalParts"/> − 1.</param>
    /// <param name="destination">Zeros on entry; receives the partial.</param>
    void Partial(int localPart, scoped Span<double> destination);
}
