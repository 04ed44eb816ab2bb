using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pbgd.Experiments;

namespace Pbgd.Benchmarks;

/// <summary>`--bench peers`: the agreement checks (iterates, φ_γ at the same u) and their arithmetic.</summary>
public static partial class PeerStudy
{
    // ---- agreement checks ----------------------------------------------------------------------------------------

    internal sealed record IterateCheck(Pair Pair, double U, double V, double Values, int Iterations, double Tolerance);

    // 10 iterations each, every one recorded; the final u (weights.csv) and v (model.csv) against the peer's.
    private static IterateCheck CheckIterates(Runner runner, Pair pair)
    {
        const int k = 10;
        Side Ten(Side side) => side with { Args = [.. Replace(Replace(side.Args, "--iterations", k.ToString(Inv)), "--log-every", "1")] };
        var peer = runner.Run(Ten(pair.Peer), $"{pair.Key}/agreement-peer", k);
        var ours = runner.Run(Ten(pair.Ours!), $"{pair.Key}/agreement-pbgd", k);
        var uPeer = PeerData.Read(Path.Combine(peer.Directory, "u.f64")).Data;
        var vPeer = PeerData.Read(Path.Combine(peer.Directory, "v.f64")).Data;
        var uOurs = ReadCsvColumns(Path.Combine(ours.Directory, "weights.csv"), 1, 1);
        var vOurs = ReadCsvColumns(Path.Combine(ours.Directory, "model.csv"), 1, int.MaxValue);
        double values = 0;
        foreach (var column in new[] { "upper", "lower", "lower_optimal", "penalized" })
            for (int i = 0; i < ours.Trajectory.Rows.Count; i++)
                values = Math.Max(values, Relative(peer.Trajectory.Get(i, column), ours.Trajectory.Get(i, column)));
        // float64: 1e−10 relative after 10 iterations (the bar); float32: the float32 tolerance.
        double tolerance = pair.Tolerance.Values < 1e-6 ? 1e-10 : pair.Tolerance.Values;
        return new IterateCheck(pair, MaxRelative(uPeer, uOurs), MaxRelative(vPeer, vOurs), values, k, tolerance);
    }

    internal sealed record PhiCheck(Pair Pair, double PhiOurs, double PhiPeer, double F, double G, double GStar,
        double DirectionalDerivativeError);

    // The peer's φ_γ (the function L-BFGS-B minimises) at Pbgd's final u against Pbgd's recorded L_γ = φ_γ there.
    private static PhiCheck CheckPhiAtOurU(Runner runner, string python, string peers, string sqData, Pair pair, RunOutput ours)
    {
        var u = ReadCsvColumns(Path.Combine(ours.Directory, "weights.csv"), 1, 1);
        string dir = Path.Combine(ours.Directory, "phi-check");
        Directory.CreateDirectory(dir);
        string uFile = Path.Combine(dir, "u.f64");
        PeerData.Write(uFile, new Linalg.Matrix(u.Length, 1, u));
        runner.RunPeerScript([Path.Combine(peers, "numpy_squared.py"), "--data", sqData, "--eval-u", uFile, "--out", dir], Path.Combine(dir, "log.txt"), python);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "phi.json")));
        var e = doc.RootElement;
        var t = ours.Trajectory;
        double D(string name) => e.GetProperty(name).GetDouble();
        return new PhiCheck(pair, t.Last("penalized"), D("phi"), Relative(D("upper"), t.Last("upper")), Relative(D("lower"), t.Last("lower")),
            Relative(D("lower_optimal"), t.Last("lower_optimal")), D("directional_derivative_relative_error"));
    }

    private static IEnumerable<string> Replace(IEnumerable<string> args, string option, string value)
    {
        var list = args.ToList();
        int i = list.IndexOf(option);
        if (i >= 0) list[i + 1] = value;
        else list.AddRange([option, value]);
        return list;
    }

    // Numeric cells of a CSV with a header, columns first…first+count−1 of every row, row after row.
    private static double[] ReadCsvColumns(string path, int first, int count)
    {
        var values = new List<double>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            for (int j = first; j < Math.Min(cells.Length, first + Math.Min(count, cells.Length)); j++)
                values.Add(double.Parse(cells[j], NumberStyles.Float, Inv));
        }
        return [.. values];
    }

    internal static double Relative(double a, double b) => a == b ? 0 : Math.Abs(a - b) / Math.Max(Math.Abs(b), 1e-300);

    internal static double MaxRelative(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) return double.PositiveInfinity;
        double diff = 0, scale = 0;
        for (int i = 0; i < a.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs(a[i] - b[i]));
            scale = Math.Max(scale, Math.Abs(b[i]));
        }
        return diff == 0 ? 0 : diff / scale;
    }
}
