using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Pbgd.Linalg;

namespace Pbgd.Checkpoints;

/// <summary>SHA-256 fingerprints of matrices and text, as lowercase hex.</summary>
public static class Fingerprint
{
    /// <summary>Hash of the shapes and exact bytes of the matrices.</summary>
    /// <param name="matrices">The matrices, in a fixed order.</param>
    public static string Of(params Matrix[] matrices)
    {
        ArgumentNullException.ThrowIfNull(matrices);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var m in matrices)
        {
            hash.AppendData(BitConverter.GetBytes(m.Rows));
            hash.AppendData(BitConverter.GetBytes(m.Columns));
            hash.AppendData(MemoryMarshal.AsBytes(m.Span));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Hash of a text.</summary>
    /// <param name="text">The text.</param>
    public static string Of(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// SHA-256 of matrices whose rows may be spread over processes (<see cref="Pbgd.Distributed.RowShard"/>; collective when
    /// distributed): each fixed part of the rows is hashed where it lives (its rows of every matrix), and the parts'
    /// hashes are hashed in part order, so the fingerprint is the same for any number of processes.
    /// </summary>
    /// <param name="shard">The rows this process holds.</param>
    /// <param name="matrices">This process's rows of each matrix (each with <see cref="Pbgd.Distributed.RowShard.Rows"/> rows).</param>
    public static string OfRows(Pbgd.Distributed.RowShard shard, params Matrix[] matrices) => OfRows(shard, (object?)null, matrices);

    /// <summary><see cref="OfRows(Pbgd.Distributed.RowShard, Matrix[])"/> with a float-only matrix first (its float bytes
    /// are hashed: float-only data have a fingerprint of their own).</summary>
    /// <param name="shard">The rows this process holds.</param>
    /// <param name="single">This process's rows of the float matrix.</param>
    /// <param name="matrices">This process's rows of the others.</param>
    public static string OfRows(Pbgd.Distributed.RowShard shard, SingleRows single, params Matrix[] matrices)
    {
        ArgumentNullException.ThrowIfNull(single);
        return OfRows(shard, (object)single, matrices);
    }

    private static string OfRows(Pbgd.Distributed.RowShard shard, object? single, Matrix[] matrices)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(matrices);
        const int Width = 4; // a 32-byte hash as four doubles (bit patterns; the exchange copies bytes)
        var local = new double[shard.LocalParts * Width];
        for (int p = 0; p < shard.LocalParts; p++)
        {
            int start = shard.LocalPartStart(p), end = shard.LocalPartStart(p + 1);
            using var part = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            if (single is SingleRows f)
            {
                if (f.Rows != shard.Rows) throw new ArgumentException($"the float matrix has {f.Rows} rows; the shard holds {shard.Rows}.", nameof(single));
                part.AppendData(BitConverter.GetBytes(end - start));
                part.AppendData(BitConverter.GetBytes(-f.Columns)); // negative: float values follow
                part.AppendData(MemoryMarshal.AsBytes(f.Span.Slice(start * f.Columns, (end - start) * f.Columns)));
            }
            foreach (var m in matrices)
            {
                if (m.Rows != shard.Rows) throw new ArgumentException($"a matrix has {m.Rows} rows; the shard holds {shard.Rows}.", nameof(matrices));
                part.AppendData(BitConverter.GetBytes(end - start));
                part.AppendData(BitConverter.GetBytes(m.Columns));
                part.AppendData(MemoryMarshal.AsBytes(m.Span.Slice(start * m.Columns, (end - start) * m.Columns)));
            }
            part.GetHashAndReset().CopyTo(MemoryMarshal.AsBytes(local.AsSpan(p * Width, Width)));
        }
        var all = new double[shard.Partition.Parts * Width];
        shard.AllgatherParts(local, Width, all);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(shard.GlobalRows));
        hash.AppendData(BitConverter.GetBytes(shard.Partition.Parts));
        hash.AppendData(MemoryMarshal.AsBytes(all.AsSpan()));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
