using Pbgd.Data;
using Pbgd.Experiments.Setup;
using Pbgd.Linalg;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Solvers;

namespace Pbgd.Experiments;

/// <summary>Builds and runs a hyper-cleaning experiment from a <see cref="HyperCleaningConfig"/>.</summary>
public static class HyperCleaningExperiment
{
    /// <summary>The embedded synthetic data set (<see cref="SyntheticClustersSource"/>) with the configuration's sizes,
    /// corruption, seed and bias feature: what <c>Dataset = "synthetic"</c> loads.</summary>
    /// <param name="config">Sizes, corruption, seed, bias feature.</param>
    public static PreparedDataset Synthetic(HyperCleaningConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return SyntheticClustersSource.Prepare(config.Preparation);
    }

    /// <summary>Builds the problem the configuration describes.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="data">The prepared data.</param>
    public static IBilevelProblem BuildProblem(HyperCleaningConfig config, PreparedDataset data)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        config.Validate();
        return config.Loss == HyperCleaningLoss.Squared
            ? new HyperCleaningSquaredProblem(data.XTrain, data.YTrain, data.XValidation, data.YValidation,
                new HyperCleaningSquaredOptions { Ridge = config.Ridge, Radius = config.Radius, ExactSolver = config.ExactSolver,
                    ConjugateGradientTolerance = config.ConjugateGradientTolerance, Precision = config.Precision })
            : new HyperCleaningCrossEntropyProblem(data.XTrain, data.YTrain, data.XValidation, data.YValidation,
                config.Regularization, config.Radius, config.Precision);
    }

    /// <summary>The solver settings the configuration describes (any of the five solvers).</summary>
    /// <param name="config">The configuration.</param>
    public static SolverSettings SolverSettings(HyperCleaningConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SolverSettings
        {
            Algorithm = config.Algorithm, Gamma = config.Gamma, MaxIterations = config.Iterations,
            TimeBudget = config.TimeBudgetSeconds is { } s ? TimeSpan.FromSeconds(s) : null, LogEvery = config.LogEvery,
            StepSize = config.StepSize, StepScale = config.StepScale, ScaleStepByInverseGamma = config.ScaleStepByInverseGamma,
            UpperStep = config.UpperStep,
            GradientTolerance = config.GradientTolerance, ExactOracle = config.Oracle == "exact", OracleSteps = config.OracleSteps,
            OracleStepSize = config.OracleStepSize, WarmStart = config.WarmStart, LbfgsOracle = config.Oracle == "lbfgs",
            InnerToleranceFactor = config.InnerToleranceFactor, InnerToleranceFloor = config.InnerToleranceFloor, CheckpointEvery = config.CheckpointEvery,
            CheckpointInterval = config.CheckpointSeconds is { } c ? TimeSpan.FromSeconds(c) : null,
        };
    }

    /// <summary>Builds the solver the configuration describes.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="problem">The problem from <see cref="BuildProblem"/>.</param>
    /// <param name="observer">Called after every measured iteration (progress display); may be null.</param>
    /// <param name="checkpoint">Receives checkpoints; may be null.</param>
    public static IBilevelSolver BuildSolver(HyperCleaningConfig config, IBilevelProblem problem, IterationObserver? observer,
        Action<SolverCheckpoint>? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(problem);
        var settings = SolverSettings(config) with { Observer = observer, Checkpoint = checkpoint };
        return SolverFactory.Create(problem, settings, InitialU(config, problem), new double[problem.LowerDimension]);
    }

    private static double[] InitialU(HyperCleaningConfig config, IBilevelProblem problem)
    {
        var u0 = new double[problem.UpperDimension];
        Array.Fill(u0, config.InitialU);
        return u0;
    }

    /// <summary>Runs the experiment and scores it; test accuracy and cleaning F1 are traced at every logged iteration.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="data">The prepared data.</param>
    /// <param name="progress">Called after every iteration; may be null.</param>
    /// <param name="cancellationToken">Stops the run cleanly; the report still holds the state reached.</param>
    /// <param name="checkpoint">Receives periodic and final checkpoints (<see cref="HyperCleaningConfig.CheckpointEvery"/>); may be null.</param>
    /// <param name="resumeFrom">Continue from this checkpoint instead of starting at u⁰ (refused if it does not match).</param>
    public static HyperCleaningReport Run(HyperCleaningConfig config, PreparedDataset data,
        Action<HyperCleaningProgress>? progress = null, CancellationToken cancellationToken = default,
        Action<SolverCheckpoint>? checkpoint = null, SolverCheckpoint? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        // With a held-out part, f sees only the rest of the validation set; the held-out rows judge the iterates.
        var split = config.Holdout > 0 ? HoldoutSplit.Create(data, config.Holdout, config.Seed) : null;
        var problem = BuildProblem(config, split?.Optimization ?? data);
        if (config.Threads > 0)
        {
            Pbgd.Kernels.ComputeThreads.Set(config.Threads);
        }
        var trace = new QualityTrace((int)Math.Min(1_000_000L, config.Iterations / config.LogEvery + 2));
        var selection = split is null ? null : new ModelSelection(config.Loss, problem, split.XHoldout, split.YHoldout);
        var scores = new double[data.XTest.Rows * data.ClassCount];
        double accuracy = double.NaN, f1 = double.NaN, holdout = double.NaN;
        CleaningMetrics? cleaning = null;
        void Measure(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
        {
            if (data.XTest.Rows > 0)
            {
                Scores(problem, data.XTest, v, scores);
                accuracy = CleaningMetrics.Accuracy(scores, data.TestLabels);
            }
            if (data.CleanMask is { } mask)
            {
                cleaning = CleaningMetrics.Compute(u, mask);
                f1 = cleaning.Value.F1;
            }
            if (selection is not null) holdout = selection.Loss(v);
        }
        IterateQuality Quality(int iteration, double upper) => new(iteration, upper, holdout, Finite(accuracy),
            cleaning?.Precision, cleaning?.Recall, cleaning?.F1);
        IterationObserver observer = (in IterationRecord record, ReadOnlySpan<double> u, ReadOnlySpan<double> v) =>
        {
            if (record.Iteration % config.LogEvery == 0)
            {
                Measure(u, v);
                trace.Add(record.Iteration, accuracy, f1, holdout);
                selection?.Observe(Quality(record.Iteration, record.Upper), u, v);
            }
            progress?.Invoke(new HyperCleaningProgress(record, accuracy, f1, config.Iterations));
        };
        if (resumeFrom?.ObserverState is { } saved) RestoreObserver(saved, trace, selection);
        else if (resumeFrom is not null && selection is not null)
            throw new InvalidDataException("the checkpoint has no observerState: it was not written by a run with --holdout.");
        // A checkpoint carries the trace and the selection, so a resumed run's outputs are those of the uninterrupted one.
        Action<SolverCheckpoint>? sink = checkpoint is null ? null : c => checkpoint(c with { ObserverState = SaveObserver(trace, selection) });
        var solver = BuildSolver(config, problem, observer, sink);
        var result = resumeFrom is null
            ? solver.Run(InitialU(config, problem), new double[problem.LowerDimension], cancellationToken)
            : solver.Resume(resumeFrom, cancellationToken);

        Measure(result.U, result.V);
        var last = Quality(result.Iterations, result.Final.Upper);
        if (trace.Count == 0 || trace.Iterations[^1] != result.Iterations) trace.Add(result.Iterations, accuracy, f1, holdout);
        // The returned point is a candidate too (a run can stop between logged iterations).
        selection?.Observe(last, result.U, result.V);
        var selected = selection is null ? null : new HoldoutSelection(config.Holdout, selection.Rows, selection.Selected!.Value, last,
            selection.U.ToArray(), selection.V.ToArray());
        return new HyperCleaningReport(config, data.Description, result, accuracy, cleaning, data.XTrain.Columns,
            data.ClassCount, !result.OracleIsExact, trace, problem) { Selection = selected };
    }

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;

    /// <summary>The experiment's own state in a checkpoint: the quality trace and the held-out selection.</summary>
    /// <param name="Trace">The trace so far.</param>
    /// <param name="Selection">The selection so far (null without a held-out set).</param>
    internal sealed record ObserverState(QualityTrace.State Trace, ModelSelection.State? Selection);

    private static System.Text.Json.Nodes.JsonNode SaveObserver(QualityTrace trace, ModelSelection? selection) =>
        Pbgd.Checkpoints.StateJson.ToNode(new ObserverState(trace.Save(), selection?.Save()));

    private static void RestoreObserver(System.Text.Json.Nodes.JsonNode node, QualityTrace trace, ModelSelection? selection)
    {
        var state = Pbgd.Checkpoints.StateJson.FromNode<ObserverState>(node, "the checkpoint's observerState");
        trace.Restore(state.Trace);
        if (selection is null) return;
        selection.Restore(state.Selection ?? throw new InvalidDataException("the checkpoint's observerState has no selection: it was not written by a run with --holdout."));
    }

    /// <summary>Class scores of a fitted model on new features.</summary>
    /// <param name="problem">The problem the model was fitted on.</param>
    /// <param name="x">Features, rows×m.</param>
    /// <param name="v">The fitted lower variable.</param>
    /// <param name="scores">Output, rows×c.</param>
    public static void Scores(IBilevelProblem problem, Matrix x, ReadOnlySpan<double> v, Span<double> scores)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(x);
        var model = problem.GetCapability<IPredictiveModel>()
            ?? throw new ArgumentException($"{problem.GetType().Name} has no predictive model to score (IPredictiveModel).", nameof(problem));
        model.Scores(x, v, scores);
    }
}
