using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Pbgd.Data;
using Pbgd.Experiments;
using Pbgd.Problems;
using Pbgd.Checkpoints;

namespace Pbgd.Reporting;

/// <summary>
/// Writes a hyper-cleaning run's files into a folder, each atomically: summary.json, trajectory.csv (one row per
/// logged iteration), weights.csv (per training sample: index, u, ψ(u), flagged corrupted, true clean flag),
/// model.csv (rows w_0…w_{m−1} of W and, for the logistic model, a row "bias"; one column per class) and
/// convergence.png/.svg (<see cref="ConvergencePlot"/>, drawn from what trajectory.csv holds). weights.csv and model.csv hold the
/// last iterate, or with a held-out set the selected one.
/// </summary>
public static class HyperCleaningOutputs
{
    /// <summary>The file names written, in order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["summary.json", "trajectory.csv", "weights.csv", "model.csv", "convergence.png", "convergence.svg"];

    /// <summary>Writes every output file into <paramref name="directory"/> (created if needed).</summary>
    /// <param name="directory">The output folder.</param>
    /// <param name="report">The run's report.</param>
    /// <param name="data">The data it ran on (for the clean mask).</param>
    /// <param name="environment">Machine and MKL facts for the summary.</param>
    public static void Write(string directory, HyperCleaningReport report, PreparedDataset data,
        IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(data);
        Directory.CreateDirectory(directory);
        AtomicFile.Write(Path.Combine(directory, "summary.json"), s =>
            JsonSerializer.Serialize(s, HyperCleaningSummary.From(report, environment), HyperCleaningSummary.JsonOptions));
        AtomicFile.WriteText(Path.Combine(directory, "trajectory.csv"), w => TrajectoryCsv.Write(w, report.Result.History, report.Quality));
        AtomicFile.WriteText(Path.Combine(directory, "weights.csv"), w => WriteWeights(w, report.OutputU, data.CleanMask));
        AtomicFile.WriteText(Path.Combine(directory, "model.csv"), w => WriteModel(w, report));
        ConvergencePlot.Save(directory, $"{report.Result.Algorithm} hyper-cleaning ({report.Config.Loss} loss)\n{report.DatasetDescription}",
            report.Result, report.LowerGapIsEstimate, report.Quality);
    }

    private static void WriteWeights(TextWriter writer, double[] u, bool[]? clean)
    {
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var h in new[] { "index", "u", "psi", "flagged_corrupted", "clean" }) csv.WriteField(h);
        csv.NextRecord();
        for (int i = 0; i < u.Length; i++)
        {
            csv.WriteField(i);
            csv.WriteField(u[i].ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(Sigmoid.Value(u[i]).ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(u[i] < 0 ? "true" : "false");
            csv.WriteField(clean is null ? "" : clean[i] ? "true" : "false");
            csv.NextRecord();
        }
    }

    private static void WriteModel(TextWriter writer, HyperCleaningReport report)
    {
        int m = report.FeatureCount, c = report.ClassCount;
        var v = report.OutputV;
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        csv.WriteField("row");
        for (int j = 0; j < c; j++) csv.WriteField($"class_{j}");
        csv.NextRecord();
        for (int i = 0; i < v.Length / c; i++)
        {
            csv.WriteField(i < m ? $"w_{i}" : "bias");
            for (int j = 0; j < c; j++) csv.WriteField(v[i * c + j].ToString("R", CultureInfo.InvariantCulture));
            csv.NextRecord();
        }
    }
}
