using System.Globalization;
using CsvHelper;
using Pbgd.Experiments;
using Pbgd.Solvers;

namespace Pbgd.Reporting;

/// <summary>trajectory.csv: one row per logged iteration, every measurement of <see cref="IterationRecord"/>, its cumulative
/// work counts (<see cref="SolverCounts"/>: evaluations, exact solves, inner steps, backtracks), plus test accuracy and
/// cleaning F1 and the held-out loss where a quality trace has them (empty fields otherwise).</summary>
public static class TrajectoryCsv
{
    /// <summary>Writes the table.</summary>
    /// <param name="writer">Destination.</param>
    /// <param name="history">The logged iterations.</param>
    /// <param name="quality">Accuracy/F1 at logged iterations, or null.</param>
    public static void Write(TextWriter writer, SolverHistory history, QualityTrace? quality)
    {
        ArgumentNullException.ThrowIfNull(history);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var h in new[] { "iteration", "seconds", "gamma", "step", "upper", "lower", "lower_optimal", "lower_gap", "penalized",
                     "gradient_norm", "gradient_norm_u", "gradient_norm_v", "oracle_residual", "oracle_steps", "rank", "upper_steps", "evaluations", "exact_solves", "inner_steps", "backtracks",
                     "test_accuracy", "clean_f1", "holdout_loss" })
            csv.WriteField(h);
        csv.NextRecord();
        int q = 0;
        foreach (var r in history.Records)
        {
            while (quality is not null && q < quality.Count && quality.Iterations[q] < r.Iteration) q++;
            bool has = quality is not null && q < quality.Count && quality.Iterations[q] == r.Iteration;
            csv.WriteField(r.Iteration);
            foreach (double x in new[] { r.Seconds, r.Gamma, r.StepSize, r.Upper, r.Lower, r.LowerOptimal, r.LowerGap, r.Penalized,
                         r.GradientNorm, r.UpperBlockGradientNorm, r.LowerBlockGradientNorm, r.OracleResidual })
                csv.WriteField(x.ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(r.OracleSteps);
            csv.WriteField(r.Rank);
            foreach (long count in new[] { r.Counts.UpperSteps, r.Counts.Evaluations, r.Counts.ExactSolves, r.Counts.InnerSteps, r.Counts.Backtracks })
                csv.WriteField(count);
            csv.WriteField(has && double.IsFinite(quality!.TestAccuracy[q]) ? quality.TestAccuracy[q].ToString("R", CultureInfo.InvariantCulture) : "");
            csv.WriteField(has && double.IsFinite(quality!.CleanF1[q]) ? quality.CleanF1[q].ToString("R", CultureInfo.InvariantCulture) : "");
            csv.WriteField(has && double.IsFinite(quality!.HoldoutLoss[q]) ? quality.HoldoutLoss[q].ToString("R", CultureInfo.InvariantCulture) : "");
            csv.NextRecord();
        }
    }
}
