using System.Text.Json;
using System.Text.Json.Serialization;
using Pbgd.Experiments;

namespace Pbgd.Reporting;

/// <summary>The content of summary.json: every value used, why the run stopped, and the figures it reached.
/// Values that were not measured are null (never NaN).</summary>
public sealed record HyperCleaningSummary
{
    /// <summary>"PBGD-B" or "PBGD-J".</summary>
    public required string Algorithm { get; init; }
    /// <summary>Every option value actually used (presets applied, overrides included).</summary>
    public required HyperCleaningConfig Options { get; init; }
    /// <summary>The data set.</summary>
    public required string Dataset { get; init; }
    /// <summary>The oracle's name.</summary>
    public required string Oracle { get; init; }
    /// <summary>Why the run stopped.</summary>
    public required string StopReason { get; init; }
    /// <summary>Outer iterations.</summary>
    public int Iterations { get; init; }
    /// <summary>Wall-clock seconds of the solver.</summary>
    public double Seconds { get; init; }
    /// <summary>The work done (accepted steps, evaluations, exact solves, inner steps, backtracks, second-order products).</summary>
    public Pbgd.Solvers.SolverCounts Counts { get; init; }
    /// <summary>f at the final point; null when it is not finite (a run that diverged at its first point has no finite
    /// state, and the summary writes no "Infinity" or "NaN" for a value).</summary>
    public double? UpperObjective { get; init; }
    /// <summary>g − g* with the exact oracle.</summary>
    public double? LowerGap { get; init; }
    /// <summary>g − g(u, ω) with the iterative oracle (an estimate).</summary>
    public double? LowerGapEstimate { get; init; }
    /// <summary>L_γ at the final point; null when it is not finite.</summary>
    public double? Penalized { get; init; }
    /// <summary>Final γ.</summary>
    public double Gamma { get; init; }
    /// <summary>Projected-gradient norm of L_γ; null when it is not finite.</summary>
    public double? GradientNorm { get; init; }
    /// <summary>Test accuracy.</summary>
    public double? TestAccuracy { get; init; }
    /// <summary>Cleaning precision.</summary>
    public double? CleanPrecision { get; init; }
    /// <summary>Cleaning recall.</summary>
    public double? CleanRecall { get; init; }
    /// <summary>Cleaning F1.</summary>
    public double? CleanF1 { get; init; }
    /// <summary>Iterations at which L_γ rose with γ fixed (a step that is too large shows here).</summary>
    public int PenaltyIncreases { get; init; }
    /// <summary>The longest run of such rises in a row.</summary>
    public int LongestIncreaseStreak { get; init; }
    /// <summary>Whether L_γ rose three or more iterations in a row with γ fixed (<see cref="Pbgd.Solvers.SolverResult.Oscillated"/>):
    /// the step is likely too large.</summary>
    public bool Oscillated { get; init; }
    /// <summary>Whether an exact solve met a design without full rank (LowerSolveInfo.FullRank false), so W* is not
    /// unique; every exact solver reports it, not only the minimum-norm SVD. <see cref="ExactSolves"/> says which
    /// solvers produced the solutions.</summary>
    public bool RankDeficient { get; init; }
    /// <summary>The squared model's exact solves by the solver that produced them (the names of the exact-solver chain:
    /// normal, cg, qr, svd), counted over the whole run (a resumed run includes those before its checkpoint); null for
    /// models without exact solves.</summary>
    public IReadOnlyDictionary<string, long>? ExactSolves { get; init; }
    /// <summary>Held-out model selection (null without --holdout): the fraction and rows held out, and the figures of the
    /// selected iterate (the one model.csv and weights.csv hold) and of the last one. The top-level figures above are the
    /// last iterate's.</summary>
    public HoldoutSummary? Holdout { get; init; }
    /// <summary>MKL version, kernels, threads, reproducibility mode.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>The JSON options used for summary files (camelCase, enums as strings, indented).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // A diverged run can end with infinities; record them rather than fail to write the summary.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Builds the summary of a report.</summary>
    /// <param name="report">The run's report.</param>
    /// <param name="environment">Machine and MKL facts to record.</param>
    public static HyperCleaningSummary From(HyperCleaningReport report, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(report);
        var r = report.Result;
        static double? Finite(double x) => double.IsFinite(x) ? x : null;
        return new HyperCleaningSummary
        {
            Algorithm = r.Algorithm,
            Options = report.Config,
            Dataset = report.DatasetDescription,
            Oracle = r.Oracle,
            StopReason = r.StopReason.ToString(),
            Iterations = r.Iterations,
            Seconds = r.Seconds,
            Counts = r.Counts,
            UpperObjective = Finite(r.Final.Upper),
            LowerGap = report.LowerGapIsEstimate ? null : Finite(r.Final.LowerGap),
            LowerGapEstimate = report.LowerGapIsEstimate ? Finite(r.Final.LowerGap) : null,
            Penalized = Finite(r.Final.Penalized),
            Gamma = r.Final.Gamma,
            GradientNorm = Finite(r.Final.GradientNorm),
            TestAccuracy = Finite(report.TestAccuracy),
            CleanPrecision = report.Cleaning?.Precision,
            CleanRecall = report.Cleaning?.Recall,
            CleanF1 = report.Cleaning?.F1,
            PenaltyIncreases = r.PenaltyIncreases,
            LongestIncreaseStreak = r.LongestIncreaseStreak,
            Oscillated = r.Oscillated,
            RankDeficient = r.RankDeficientSeen,
            ExactSolves = report.Problem.GetCapability<Pbgd.Problems.IExactSolveCounts>()?.SolveCounts.ToDictionary(c => c.Key, c => c.Value),
            Holdout = report.Selection is { } h ? new HoldoutSummary(h.Fraction, h.Rows, h.Selected, h.Last) : null,
            Environment = environment,
        };
    }

    /// <summary>Reads a summary.json (for <c>pbgd rerun</c>).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not a Pbgd summary.</exception>
    public static HyperCleaningSummary Read(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return JsonSerializer.Deserialize<HyperCleaningSummary>(stream, JsonOptions)
                   ?? throw new InvalidDataException($"{path}: empty summary.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a Pbgd summary.json (line {e.LineNumber + 1}: {e.Message})", e);
        }
    }
}

/// <summary>summary.json's held-out selection.</summary>
/// <param name="Fraction">The fraction of the validation set held out.</param>
/// <param name="Rows">Held-out rows.</param>
/// <param name="Selected">The iterate with the smallest held-out loss (iteration, f, held-out loss, test accuracy, cleaning).</param>
/// <param name="Last">The last iterate, the same figures.</param>
public sealed record HoldoutSummary(double Fraction, int Rows, IterateQuality Selected, IterateQuality Last);
