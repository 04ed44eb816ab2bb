using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Pbgd.Experiments;
using Pbgd.Problems;

namespace Pbgd.Reporting;

/// <summary>
/// Writes a hyper-cleaning run's files into a folder, each atomically: summary.json, trajectory.csv (one row per
/// logged iteration), weights.csv (per training sample: index, u, ψ(u), flagged corrupted, true clean flag),
/// model.csv (rows w_0…w_{m−1} of W and, for the logistic model, a row "bias"; one column per class) and
/// convergence.svg.
/// </summary>
public static class HyperCleaningOutputs
{
    /// <summary>The file names written, in order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["summary.json", "trajectory.csv", "weights.csv", "model.csv", "convergence.svg"];

    /// <summary>Writes every output file into <paramref name="directory"/> (created if needed).</summary>
    /// <param name="directory">The output folder.</param>
    /// <param name="report">The run's report.</param>
    /// <param name="data">The data it ran on (for the clean mask).</param>
    /// <param name="environment">Machine and MKL facts for the summary.</param>
    public static void Write(string directory, HyperCleaningReport report, HyperCleaningDataset data,
        IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(data);
        Directory.CreateDirectory(directory);
        AtomicFile.Write(Path.Combine(directory, "summary.json"), s =>
            JsonSerializer.Serialize(s, HyperCleaningSummary.From(report, environment), HyperCleaningSummary.JsonOptions));
        AtomicFile.WriteText(Path.Combine(directory, "trajectory.csv"), w => WriteTrajectory(w, report));
        AtomicFile.WriteText(Path.Combine(directory, "weights.csv"), w => WriteWeights(w, report.Result.U, data.CleanMask));
        AtomicFile.WriteText(Path.Combine(directory, "model.csv"), w => WriteModel(w, report));
        AtomicFile.WriteText(Path.Combine(directory, "convergence.svg"), w => WritePlot(w, report));
    }

    private static void WriteTrajectory(TextWriter writer, HyperCleaningReport report)
    {
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var h in new[] { "iteration", "seconds", "gamma", "step", "upper", "lower", "lower_optimal", "lower_gap", "penalized",
                     "gradient_norm", "gradient_norm_u", "gradient_norm_v", "oracle_residual", "oracle_steps", "rank", "test_accuracy", "clean_f1" })
            csv.WriteField(h);
        csv.NextRecord();
        var quality = report.Quality;
        int q = 0;
        foreach (var r in report.Result.History.Records)
        {
            while (q < quality.Count && quality.Iterations[q] < r.Iteration) q++;
            bool has = q < quality.Count && quality.Iterations[q] == r.Iteration;
            csv.WriteField(r.Iteration);
            foreach (double x in new[] { r.Seconds, r.Gamma, r.StepSize, r.Upper, r.Lower, r.LowerOptimal, r.LowerGap, r.Penalized,
                         r.GradientNorm, r.UpperBlockGradientNorm, r.LowerBlockGradientNorm, r.OracleResidual })
                csv.WriteField(x.ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(r.OracleSteps);
            csv.WriteField(r.Rank);
            csv.WriteField(has && double.IsFinite(quality.TestAccuracy[q]) ? quality.TestAccuracy[q].ToString("R", CultureInfo.InvariantCulture) : "");
            csv.WriteField(has && double.IsFinite(quality.CleanF1[q]) ? quality.CleanF1[q].ToString("R", CultureInfo.InvariantCulture) : "");
            csv.NextRecord();
        }
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
        var v = report.Result.V;
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

    private static void WritePlot(TextWriter writer, HyperCleaningReport report)
    {
        var records = report.Result.History.Records.ToArray();
        double[] it = records.Select(r => (double)r.Iteration).ToArray();
        double[] sec = records.Select(r => r.Seconds).ToArray();
        double[] gap = records.Select(r => Math.Abs(r.LowerGap)).ToArray();
        double[] grad = records.Select(r => r.GradientNorm).ToArray();
        string gapName = report.LowerGapIsEstimate ? "|g − g*| (estimate)" : "|g − g*|";
        var panels = new List<SvgPanel>
        {
            new("Gaps against iterations", "iteration", true,
                [new SvgSeries(gapName, it, gap, "#1f77b4"), new SvgSeries("‖projected ∇L_γ‖", it, grad, "#d62728")]),
            new("Gaps against time", "seconds", true,
                [new SvgSeries(gapName, sec, gap, "#1f77b4"), new SvgSeries("‖projected ∇L_γ‖", sec, grad, "#d62728")]),
        };
        var q = report.Quality;
        var quality = new List<SvgSeries>();
        double[] qIt = q.Iterations.ToArray().Select(x => (double)x).ToArray();
        if (q.TestAccuracy.ToArray().Any(double.IsFinite)) quality.Add(new SvgSeries("test accuracy", qIt, q.TestAccuracy.ToArray(), "#2ca02c"));
        if (q.CleanF1.ToArray().Any(double.IsFinite)) quality.Add(new SvgSeries("cleaning F1", qIt, q.CleanF1.ToArray(), "#9467bd"));
        if (quality.Count > 0) panels.Add(new SvgPanel("Accuracy and F1", "iteration", false, quality));
        SvgPlot.Write($"{report.Result.Algorithm} hyper-cleaning ({report.Config.Loss}, {report.DatasetDescription})", panels, writer);
    }
}
