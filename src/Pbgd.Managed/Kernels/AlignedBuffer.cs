namespace Pbgd.Kernels;

/// <summary>
/// A pinned array whose usable part starts on a 64-byte boundary. MKL picks its code path partly by the
/// alignment of its arguments, so the same call on differently aligned copies of the same numbers can round
/// differently; buffers handed to MKL in a loop that must be bit-reproducible come from here.
/// </summary>
internal sealed unsafe class AlignedBuffer<T> where T : unmanaged
{
    private readonly T[] _storage;
    private readonly int _offset;

    internal AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _storage = GC.AllocateArray<T>(length + 64 / sizeof(T), pinned: true);
        fixed (T* p = _storage)
            _offset = (int)((64 - (long)p % 64) % 64 / sizeof(T));
        Length = length;
    }

    internal int Length { get; }

    internal Span<T> Span => _storage.AsSpan(_offset, Length);
}
