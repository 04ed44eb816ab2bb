namespace Pbgd.Distributed;

/// <summary>
/// The fixed split of a data set's rows into parts, and the parts one process holds. The number of parts depends on the
/// number of rows alone (<see cref="PartsFor"/>), never on the number of processes or threads: each part's partial sums are
/// computed the same way wherever it lives, and combined in one fixed order (<see cref="RowShard"/>), so results do not
/// depend on how many processes share the rows. A process holds a contiguous run of whole parts.
/// </summary>
public readonly record struct RowPartition
{
    /// <summary>Rows per part below 2 048 rows (as the kernels have always split them: up to 8 parts of ≥ 256 rows).</summary>
    public const int MinRowsPerPart = 256;

    /// <summary>Rows per part of large data sets: 8 parts up to 131 072 rows, then one part per 16 384 rows, so a data set
    /// of N rows can be spread over up to N / 16 384 processes.</summary>
    public const int RowsPerPartAtScale = 16384;

    /// <summary>Most parts of any data set (message tags of the distributed reduction are part indices ≤ 32 767).</summary>
    public const int MaxParts = 32767;

    /// <summary>The number of parts of a data set of <paramref name="rows"/> rows: max(1, ⌊rows/256⌋) below 2 048 rows,
    /// then max(8, ⌊rows/16 384⌋), at most <see cref="MaxParts"/>. Below 131 072 rows this is the kernels' historical
    /// split (min(8, max(1, ⌊rows/256⌋))).</summary>
    /// <param name="rows">Rows of the data set (≥ 0).</param>
    public static int PartsFor(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        return rows < 8 * MinRowsPerPart ? Math.Max(1, rows / MinRowsPerPart) : Math.Min(MaxParts, Math.Max(8, rows / RowsPerPartAtScale));
    }

    /// <summary>A partition of <paramref name="globalRows"/> rows, this process holding parts
    /// [<paramref name="firstPart"/>, <paramref name="firstPart"/> + <paramref name="partCount"/>).</summary>
    /// <param name="globalRows">Rows of the whole data set.</param>
    /// <param name="firstPart">The first part held here.</param>
    /// <param name="partCount">How many consecutive parts are held here (≥ 1).</param>
    public RowPartition(int globalRows, int firstPart, int partCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(globalRows);
        int parts = PartsFor(globalRows);
        if (firstPart < 0 || partCount < 1 || (long)firstPart + partCount > parts)
            throw new ArgumentOutOfRangeException(nameof(partCount),
                $"parts [{firstPart}, {(long)firstPart + partCount}) are not within the {parts} parts of {globalRows} rows.");
        (GlobalRows, Parts, FirstPart, PartCount) = (globalRows, parts, firstPart, partCount);
    }

    /// <summary>Rows of the whole data set.</summary>
    public int GlobalRows { get; }

    /// <summary>Parts of the whole data set (<see cref="PartsFor"/>).</summary>
    public int Parts { get; }

    /// <summary>The first part held here.</summary>
    public int FirstPart { get; }

    /// <summary>The number of parts held here.</summary>
    public int PartCount { get; }

    /// <summary>The first global row of part <paramref name="part"/> (0 … <see cref="Parts"/>; Parts gives the end).</summary>
    /// <param name="part">A part index.</param>
    public int PartStart(int part) => (int)((long)GlobalRows * part / Parts);

    /// <summary>The first global row held here.</summary>
    public int FirstRow => PartStart(FirstPart);

    /// <summary>The rows held here.</summary>
    public int Rows => PartStart(FirstPart + PartCount) - FirstRow;

    /// <summary>Whether this process holds every row.</summary>
    public bool IsWhole => PartCount == Parts;

    /// <summary>Every part of <paramref name="rows"/> rows, held by one process.</summary>
    /// <param name="rows">Rows of the data set.</param>
    public static RowPartition Whole(int rows) => new(rows, 0, PartsFor(rows));

    /// <summary>The parts of rank <paramref name="rank"/> of <paramref name="size"/>: parts [⌊rank·P/size⌋, ⌊(rank+1)·P/size⌋).</summary>
    /// <param name="rows">Rows of the whole data set.</param>
    /// <param name="rank">The process's index.</param>
    /// <param name="size">The number of processes; at most <see cref="PartsFor"/>(rows).</param>
    /// <exception cref="ArgumentException">More processes than parts: the message says how many can share the rows.</exception>
    public static RowPartition ForRank(int rows, int rank, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if ((uint)rank >= (uint)size) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank {rank} is not one of {size} processes.");
        int parts = PartsFor(rows);
        if (size > parts)
            throw new ArgumentException(
                $"{size} processes cannot share {rows} training rows: the rows form {parts} fixed part{(parts == 1 ? "" : "s")} " +
                $"({(rows < 8 * MinRowsPerPart ? $"at least {MinRowsPerPart}" : $"about {RowsPerPartAtScale}")} rows each), and each process needs at least one; run with at most {parts} process{(parts == 1 ? "" : "es")}.",
                nameof(size));
        return new RowPartition(rows, FirstPartOf(rank, size, parts), FirstPartOf(rank + 1, size, parts) - FirstPartOf(rank, size, parts));
    }

    /// <summary>The first part of rank <paramref name="rank"/> when <paramref name="parts"/> parts are shared by
    /// <paramref name="size"/> processes (<paramref name="rank"/> = size gives the end).</summary>
    internal static int FirstPartOf(int rank, int size, int parts) => (int)((long)rank * parts / size);
}
