namespace Pbgd.Data;

/// <summary>Bounds on what a loader may allocate, checked before allocating (the densify limit): a malformed or
/// hostile file (an IDX header declaring 2³¹ images, a LIBSVM feature index of two billion, a line without end)
/// ends in a <see cref="DataFormatException"/>, never in an out-of-memory crash.</summary>
public sealed record LoadLimits
{
    /// <summary>Most doubles a dense feature matrix may hold (default 2²⁸, i.e. 2 GiB of doubles).</summary>
    public long MaxValues { get; init; } = 1L << 28;

    /// <summary>Largest feature count (LIBSVM index, CSV columns, IDX pixels per image).</summary>
    public int MaxFeatures { get; init; } = 1 << 20;

    /// <summary>Most distinct class labels.</summary>
    public int MaxClasses { get; init; } = 1000;

    /// <summary>Longest text line, in characters (default 2²⁶).</summary>
    public int MaxLineLength { get; init; } = 1 << 26;

    /// <summary>The defaults.</summary>
    public static LoadLimits Default { get; } = new();
}
