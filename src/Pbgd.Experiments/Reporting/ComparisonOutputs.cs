using System.Globalization;
using Pbgd.Experiments.Comparison;
using Pbgd.Checkpoints;
using Pbgd.Experiments.Setup;

namespace Pbgd.Reporting;

/// <summary>
/// The comparison runner's outputs, each written atomically: a Markdown table (comparison.md), the same numbers as CSV
/// (comparison.csv, written with CsvHelper), every solver's logged records (comparison-trajectories.csv) and their
/// convergence curves (comparison.png and comparison.svg, <see cref="ComparisonPlot"/>).
/// </summary>
public static class ComparisonOutputs
{
    /// <summary>Writes the files into <paramref name="directory"/> (created if missing).</summary>
    /// <param name="report">The comparison.</param>
    /// <param name="directory">Output folder.</param>
    public static void WriteAll(ComparisonReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        AtomicFile.WriteText(Path.Combine(directory, "comparison.md"), w => WriteMarkdown(report, w));
        AtomicFile.WriteText(Path.Combine(directory, "comparison.csv"), w => WriteCsv(report, w));
        AtomicFile.WriteText(Path.Combine(directory, "comparison-trajectories.csv"), w => WriteTrajectories(report, w));
        ComparisonPlot.Save(report, directory);
    }

    /// <summary>The table's columns, in order.</summary>
    public static IReadOnlyList<string> Columns(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string reference = report.Instance.UpperReferenceName;
        var columns = new List<string> { "solver", "stop", "iterations", "seconds", "f" };
        if (report.Instance.UpperReference is not null) columns.Add($"f − {reference}");
        columns.AddRange([report.LowerExact ? "g − g*" : "g − g* (estimate)", "KKT²", "gradient evals", "exact solves", "2nd-order products", "evaluations", "inner steps", "backtracks", "target: iteration", "target: seconds", "target: gradient evals"]);
        if (HasRank(report)) columns.Add("rank (final)");
        if (report.Instance.Quality is not null) columns.AddRange(["test accuracy", "cleaning F1"]);
        return columns;
    }

    /// <summary>One row of cells per solver, formatted for people (invariant culture).</summary>
    public static IEnumerable<string[]> Cells(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var inv = CultureInfo.InvariantCulture;
        foreach (var row in report.Rows)
        {
            var r = row.Result;
            var cells = new List<string>
            {
                BilevelAlgorithms.Name(row.Solver), r.StopReason.ToString(), r.Iterations.ToString(inv), r.Seconds.ToString("F3", inv),
                r.Final.Upper.ToString("G8", inv),
            };
            if (report.Instance.UpperReference is { } f) cells.Add((r.Final.Upper - f).ToString("E3", inv));
            cells.Add((row.FinalLowerGap ?? r.Final.LowerGap).ToString("E3", inv));
            cells.Add(double.IsNaN(r.Final.KktResidual) ? "—" : r.Final.KktResidual.ToString("E3", inv));
            cells.Add(row.Work.Gradients.ToString(inv));
            cells.Add(row.Work.ExactSolves.ToString(inv));
            cells.Add(row.Work.SecondOrderProducts.ToString(inv));
            // The solver's own counts (SolverCounts): evaluations of its objective at a point, lower-level gradient steps
            // and rejected line-search trials; the columns before them count the calls the problem received.
            cells.AddRange([r.Counts.Evaluations.ToString(inv), r.Counts.InnerSteps.ToString(inv), r.Counts.Backtracks.ToString(inv)]);
            if (row.Target is { } t)
                cells.AddRange([t.Iteration.ToString(inv), t.Seconds.ToString("F3", inv), t.Work.Gradients.ToString(inv)]);
            else cells.AddRange([report.LowerExact ? "not reached" : "n/a", "—", "—"]);
            if (HasRank(report)) cells.Add(r.Final.Rank.ToString(inv));
            if (report.Instance.Quality is not null)
                cells.AddRange([Percent(row.Quality?.TestAccuracy), (row.Quality?.F1 ?? double.NaN).ToString("F3", inv)]);
            yield return [.. cells];
        }
    }

    /// <summary>The Markdown table with a heading that states the instance, budget and targets.</summary>
    public static void WriteMarkdown(ComparisonReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var s = report.Settings;
        var inv = CultureInfo.InvariantCulture;
        writer.WriteLine($"## Solver comparison: {report.Instance.Name}");
        writer.WriteLine();
        writer.WriteLine(string.Create(inv, $"Same start for every solver; budget {s.MaxIterations} iterations{(s.TimeBudget is { } t ? $" or {t.TotalSeconds:G4} s" : "")}; PBGD γ = {s.Gamma}; RXGF ε = {s.Rxgf.Epsilon:G3}, α = {s.Rxgf.Alpha:G3}."));
        string target = report.Instance.UpperReference is { } f
            ? string.Create(inv, $"g − g* ≤ {s.LowerGapTarget:G3}·g(start) = {s.LowerGapTarget * Math.Abs(report.StartLower):E2} and |f − {report.Instance.UpperReferenceName}| ≤ {s.UpperTarget:G3}·|{report.Instance.UpperReferenceName}| ({report.Instance.UpperReferenceName} = {f:G8})")
            : string.Create(inv, $"g − g* ≤ {s.LowerGapTarget:G3}·g(start) = {s.LowerGapTarget * Math.Abs(report.StartLower):E2}");
        writer.WriteLine(report.LowerExact
            ? $"Target: {target}, checked every iteration for PBGD and at logged iterations (every {s.LogEvery}) for the others, whose g* is measured only there. Gradient evals count calls of f or g that computed a gradient; exact solves are LAPACK least squares; seconds exclude the others' g* measurements."
            : string.Create(inv, $"No target: this problem has no exact lower level, so g* is estimated by {s.OracleSteps} warm-started gradient step(s) per iteration (the estimate can be negative). Gradient evals count calls of f or g that computed a gradient."));
        writer.WriteLine();
        var columns = Columns(report);
        writer.WriteLine("| " + string.Join(" | ", columns) + " |");
        writer.WriteLine("|" + string.Concat(columns.Select(_ => "---|")));
        foreach (var cells in Cells(report)) writer.WriteLine("| " + string.Join(" | ", cells) + " |");
    }

    /// <summary>The table as CSV (CsvHelper quotes what needs quoting).</summary>
    public static void WriteCsv(ComparisonReport report, TextWriter writer)
    {
        using var csv = new CsvHelper.CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var c in Columns(report)) csv.WriteField(c);
        csv.NextRecord();
        foreach (var cells in Cells(report))
        {
            foreach (var c in cells) csv.WriteField(c);
            csv.NextRecord();
        }
    }

    /// <summary>Every logged record of every solver, one row each (long format): the numbers behind comparison.png.</summary>
    public static void WriteTrajectories(ComparisonReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        var inv = CultureInfo.InvariantCulture;
        using var csv = new CsvHelper.CsvWriter(writer, inv, leaveOpen: true);
        double? reference = report.Instance.UpperReference;
        var header = new List<string> { "solver", "iteration", "seconds", "gamma", "upper", "lower_gap", "penalized", "gradient_norm", "kkt_residual" };
        if (reference is not null) header.Add("upper_gap");
        foreach (var h in header) csv.WriteField(h);
        csv.NextRecord();
        foreach (var row in report.Rows)
            foreach (var r in row.Result.History.Records)
            {
                csv.WriteField(BilevelAlgorithms.Name(row.Solver));
                csv.WriteField(r.Iteration);
                foreach (double x in new[] { r.Seconds, r.Gamma, r.Upper, r.LowerGap, r.Penalized, r.GradientNorm, r.KktResidual })
                    csv.WriteField(x.ToString("R", inv));
                if (reference is { } f) csv.WriteField(Math.Abs(r.Upper - f).ToString("R", inv));
                csv.NextRecord();
            }
    }

    // The numerical rank the exact oracle reports (of X_trn·W1 in representation learning, where the f*_gen
    // certificate applies only at full rank N) is worth a column only where some solver has one.
    private static bool HasRank(ComparisonReport report) => report.Rows.Any(r => r.Result.Final.Rank >= 0);

    private static string Percent(double? value) =>
        value is { } v && double.IsFinite(v) ? (100 * v).ToString("F2", CultureInfo.InvariantCulture) + " %" : "—";
}
