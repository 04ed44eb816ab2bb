namespace Pbgd.Data;

/// <summary>Bounds on what a loader may allocate, checked before allocating: a malformed or hostile file (an IDX
/// header declaring 2³¹ images, a LIBSVM feature index of two billion) ends in a <see cref="DataFormatException"/>,
/// never in an out-of-memory crash.</summary>
public sealed record LoadLimits
{
    /// <summary>Most doubles a dense feature matrix may hold (default 2²⁸ = 2 GiB of doubles).</summary>
    public long MaxValues { get; init; } = 1L << 28;

    /// <summary>Largest feature count (LIBSVM index, CSV columns, IDX pixels per image).</summary>
    public int MaxFeatures { get; init; } = 1 << 20;

    /// <summary>Largest class label + 1.</summary>
    public int MaxClasses { get; init; } = 1000;

    /// <summary>The defaults.</summary>
    public static LoadLimits Default { get; } = new();
}
