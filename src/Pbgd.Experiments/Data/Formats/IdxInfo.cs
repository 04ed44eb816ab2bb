namespace Pbgd.Data;

/// <summary>What an IDX file's header declares, after the whole file was checked against it.</summary>
/// <param name="Dimensions">1 for a label file, 3 for an image file.</param>
/// <param name="Count">Number of items (images or labels).</param>
/// <param name="Rows">Image height (1 for labels).</param>
/// <param name="Columns">Image width (1 for labels).</param>
/// <param name="Compressed">Whether the file is gzip-compressed.</param>
public readonly record struct IdxInfo(int Dimensions, int Count, int Rows, int Columns, bool Compressed)
{
    /// <summary>Bytes per item (pixels per image, 1 per label).</summary>
    public long ItemBytes => (long)Rows * Columns;
}
