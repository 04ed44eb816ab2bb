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
}
