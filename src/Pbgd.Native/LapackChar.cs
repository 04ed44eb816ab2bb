namespace Pbgd.Native;

/// LAPACK's character arguments are single bytes; these map the public enums onto them.
internal static class LapackChar
{
    internal static byte Of(Transpose t) => t == Transpose.NoTrans ? (byte)'N' : (byte)'T';
    internal static byte Of(Triangle t) => t == Triangle.Upper ? (byte)'U' : (byte)'L';
    internal static byte Vectors(bool compute) => compute ? (byte)'V' : (byte)'N';
}
