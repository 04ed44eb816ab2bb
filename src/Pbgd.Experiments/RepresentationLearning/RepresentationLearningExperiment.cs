using Pbgd.Certificates;
using Pbgd.Data;
using Pbgd.Experiments.Setup;
using Pbgd.Linalg;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;

namespace Pbgd.Experiments;

/// <summary>The outcome of a representation-learning run with its generic-branch certificate.</summary>
/// <param name="Config">Every value used, with N, N', m and n those of the data that ran (for CSV files, not the
/// configuration's synthetic sizes).</param>
/// <param name="Result">The solver result.</param>
/// <param name="GenericOptimum">f*_gen (gglse when N ≤ m ≤ N + N', else the KKT system).</param>
/// <param name="GenericMethod">Which method gave f*_gen.</param>
/// <param name="MinimumPenalized">min L_γ on the generic branch at the final γ.</param>
/// <param name="Train">N (the rank X_trn·W1 must keep for the certificate to apply).</param>
/// <param name="MinimumRank">The smallest rank of X_trn·W1 the exact oracle reported (−1 when unknown).</param>
public sealed record RepresentationLearningReport(RepresentationLearningConfig Config, SolverResult Result, double GenericOptimum,
    string GenericMethod, double MinimumPenalized, int Train, int MinimumRank);

/// <summary>Builds and runs <c>pbgd replearn</c>.</summary>
public static class RepresentationLearningExperiment
{
    /// <summary>Runs the configuration.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="cancellationToken">Stops the run cleanly.</param>
    public static RepresentationLearningReport Run(RepresentationLearningConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var data = DatasetRegistry.Regression.Load(config.DataSpec, config.DataRequest);
        var (xt, yt, xv, yv) = (data.XTrain, data.YTrain, data.XValidation, data.YValidation);
        var (w1, w2) = data.Start ?? SeededStart(xt.Columns, config.Hidden, yt.Columns, config.Seed);
        var problem = new RepresentationLearningProblem(xt, yt, xv, yv, config.Hidden);
        int n = xt.Rows, nv = xv.Rows, m = xt.Columns;
        bool gglse = n <= m && m <= n + nv;
        double fStar = (gglse ? RepresentationLearningCertificate.GenericOptimumByGglse(xt, yt, xv, yv)
                              : RepresentationLearningCertificate.GenericOptimumByKkt(xt, yt, xv, yv)).Value;
        var schedule = PenaltySchedule.Parse(config.Gamma);
        double finalGamma = schedule.Gamma(config.Iterations);
        double minL = RepresentationLearningCertificate.MinimumPenalized(xt, yt, xv, yv, Math.Max(finalGamma, 1e-300)).Value;
        int minRank = int.MaxValue;
        var options = new PbgdOptions
        {
            Penalty = schedule,
            StepScale = config.StepScale,
            UpperStep = config.UpperStep,
            MaxIterations = config.Iterations,
            LogEvery = config.LogEvery,
            PenalizedReference = config.Tolerance is null || schedule.Kind == PenaltyScheduleKind.LinearRamp ? null : minL,
            PenalizedGapTolerance = config.Tolerance is { } t && schedule.Kind != PenaltyScheduleKind.LinearRamp ? t * Math.Max(1, minL) : null,
            Observer = (in IterationRecord r, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => { if (r.Rank >= 0) minRank = Math.Min(minRank, r.Rank); },
        };
        ILowerLevelOracle oracle = config.Oracle == "exact"
            ? new ExactLowerLevelOracle(problem)
            : new IterativeLowerLevelOracle(problem, new IterativeOracleOptions { Steps = config.OracleSteps });
        PbgdSolver solver = config.Algorithm == BilevelAlgorithm.Jacobi ? new PbgdJacobi(problem, oracle, options) : new PbgdBlockwise(problem, oracle, options);
        var result = solver.Run(w1.Data, w2.Data, cancellationToken);
        // The sizes recorded are the data's: for files they are not the synthetic defaults of the configuration.
        var used = config with { Train = n, Validation = nv, Features = m, Outputs = yt.Columns };
        return new RepresentationLearningReport(used, result, fStar, gglse ? "gglse" : "KKT", minL, n, minRank == int.MaxValue ? -1 : minRank);
    }

    // The start for data that brings none (files): W1 (m×h), then W2 (h×n), uniform in ±1/√h from SplitMix64(seed).
    private static (Matrix W1, Matrix W2) SeededStart(int features, int hidden, int outputs, int seed)
    {
        var random = new SplitMix64((ulong)seed);
        var w1 = new Matrix(features, hidden);
        var w2 = new Matrix(hidden, outputs);
        foreach (var w in new[] { w1, w2 })
            for (int k = 0; k < w.Span.Length; k++) w.Span[k] = (2 * random.NextDouble() - 1) / Math.Sqrt(hidden);
        return (w1, w2);
    }
}
