using System.Globalization;

namespace Pbgd.Benchmarks;

/// <summary>
/// The reference figures of the latest `--bench peers` run, read back from results/peers.md (its Summary table, one
/// row per comparison key: ce-float64, ce-float32, squared-auto, squared-cg, squared-qr). `--bench perf` takes its
/// reference columns from here instead of remembered constants.
/// </summary>
public sealed record PeerFigures(string Date, IReadOnlyDictionary<string, PeerFigures.Row> Rows)
{
    /// <summary>One comparison: the peer's name, both sides' median ms per iteration and the ratios as printed.</summary>
    public sealed record Row(string Key, string Peer, double PeerMs, double OursMs, string Ratio, string TargetRatio);

    /// <summary>What a reference column says when no peer run exists.</summary>
    public const string Missing = "no peer run (dotnet cake --target=Bench --bench=peers)";

    /// <summary>The figures in <paramref name="resultsDirectory"/>/peers.md, or null when there is none (or it has no summary).</summary>
    public static PeerFigures? Load(string resultsDirectory)
    {
        string path = Path.Combine(resultsDirectory, "peers.md");
        return File.Exists(path) ? Parse(File.ReadAllLines(path)) : null;
    }

    /// <summary>Parses the lines of a peers.md.</summary>
    public static PeerFigures? Parse(IReadOnlyList<string> lines)
    {
        string date = "undated";
        var header = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal));
        if (header is not null && header.LastIndexOf('(') is var open and >= 0 && header.LastIndexOf(')') is var close && close > open)
            date = header[(open + 1)..close];
        var rows = new Dictionary<string, Row>();
        bool inSummary = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("## ", StringComparison.Ordinal)) inSummary = line.Trim() == "## Summary";
            if (!inSummary || !line.StartsWith("| ", StringComparison.Ordinal)) continue;
            var cells = line.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray();
            // key | comparison | peer | peer ms | Pbgd ms | ratio (range) | target | peer time | Pbgd time | ratio to target
            if (cells.Length < 10 || !double.TryParse(cells[3], NumberStyles.Float, CultureInfo.InvariantCulture, out double peerMs)
                || !double.TryParse(cells[4], NumberStyles.Float, CultureInfo.InvariantCulture, out double oursMs)) continue;
            string ratio = cells[5].Split(' ')[0];
            rows[cells[0]] = new Row(cells[0], cells[2], peerMs, oursMs, ratio, cells[9]);
        }
        return rows.Count == 0 ? null : new PeerFigures(date, rows);
    }
}
