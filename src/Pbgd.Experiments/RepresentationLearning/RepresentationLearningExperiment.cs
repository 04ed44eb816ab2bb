using Pbgd.Certificates;
using Pbgd.Data;
using Pbgd.Experiments.Setup;
using Pbgd.Linalg;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Experiments;

/// <summary>The outcome of a representation-learning run with its generic-branch certificate.</summary>
/// <param name="Config">Every value used.</param>
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
        Matrix xt, yt, xv, yv, w1, w2;
        if (config.Data == "synthetic")
        {
            var d = RepresentationLearningGenerator.Create(config.Train, config.Validation, config.Features, config.Hidden, config.Outputs, config.Seed);
            (xt, yt, xv, yv, w1, w2) = (d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.W1, d.W2);
        }
        else
        {
            var files = config.Data[4..].Split(',');
            (xt, yt, xv, yv) = (CsvMatrixReader.Read(files[0]), CsvMatrixReader.Read(files[1]), CsvMatrixReader.Read(files[2]), CsvMatrixReader.Read(files[3]));
            var random = new SplitMix64((ulong)config.Seed);
            w1 = new Matrix(xt.Columns, config.Hidden);
            w2 = new Matrix(config.Hidden, yt.Columns);
            foreach (var w in new[] { w1, w2 })
                for (int k = 0; k < w.Span.Length; k++) w.Span[k] = (2 * random.NextDouble() - 1) / Math.Sqrt(config.Hidden);
        }
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
        return new RepresentationLearningReport(config, result, fStar, gglse ? "gglse" : "KKT", minL, n, minRank == int.MaxValue ? -1 : minRank);
    }
}
