using System.Globalization;
using Pbgd.Certificates;
using Pbgd.Data;
using Pbgd.Problems;
using Pbgd.Problems.Toys;
using Pbgd.Synthetic;

namespace Pbgd.Experiments.Comparison;

/// <summary>The instances <c>pbgd compare --problem …</c> builds, each with the references known for it.</summary>
public static class ComparisonInstances
{
    /// <summary>
    /// Representation learning (docs/algorithms.md §5) on a seeded instance, from the generator's full-rank start, with
    /// f*_gen (the generic-branch optimum) as the reference of f.
    /// </summary>
    public static ComparisonInstance RepresentationLearning(int train, int validation, int features, int hidden, int outputs, int seed)
    {
        var d = RepresentationLearningGenerator.Create(train, validation, features, hidden, outputs, seed);
        var problem = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
        var (fStar, _, method) = RepresentationLearningCertificate.GenericOptimum(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
        return new ComparisonInstance(
            string.Create(CultureInfo.InvariantCulture, $"representation learning (N = {train}, N' = {validation}, m = {features}, h = {hidden}, n = {outputs}, seed {seed}; f*_gen by {method})"),
            problem, d.W1.Data.ToArray(), d.W2.Data.ToArray())
        { UpperReference = fStar, UpperReferenceName = "f*_gen" };
    }

    /// <summary>[A25]'s nonconvex toy (<see cref="RxgfToy"/>) from a seeded start in [−1, 1]^d × [−1, 1]^d; no global optimum is known.</summary>
    public static ComparisonInstance RxgfToy(int dimension, int seed)
    {
        var toy = new RxgfToy(dimension, seed);
        var (u0, v0) = Start(dimension, seed);
        return new ComparisonInstance($"[A25] toy (d = {dimension}, seed {seed})", toy, u0, v0);
    }

    /// <summary>The convex quadratic benchmark (<see cref="ConvexQuadraticToy"/>) with its closed-form F* as the reference.</summary>
    public static ComparisonInstance ConvexQuadratic(int dimension, int seed)
    {
        var toy = new ConvexQuadraticToy(dimension, seed);
        var (u0, v0) = Start(dimension, seed);
        return new ComparisonInstance($"convex quadratic (d = {dimension}, seed {seed})", toy, u0, v0)
        { UpperReference = toy.Optimum().Value, UpperReferenceName = "F*" };
    }

    /// <summary>
    /// Hyper-cleaning on a prepared data set with the configuration's model, from u⁰ = <c>InitialU</c> and W = 0; the
    /// quality of a point is the test accuracy of its model and the cleaning F1 of its weights.
    /// </summary>
    public static ComparisonInstance HyperCleaning(HyperCleaningConfig config, PreparedDataset data)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        var problem = HyperCleaningExperiment.BuildProblem(config, data);
        var u0 = new double[problem.UpperDimension];
        Array.Fill(u0, config.InitialU);
        var scores = new double[data.XTest.Rows * data.ClassCount];
        QualityScores Quality(double[] u, double[] v)
        {
            double accuracy = double.NaN, f1 = double.NaN;
            if (data.XTest.Rows > 0)
            {
                HyperCleaningExperiment.Scores(problem, data.XTest, v, scores);
                accuracy = CleaningMetrics.Accuracy(scores, data.TestLabels);
            }
            if (data.CleanMask is { } mask) f1 = CleaningMetrics.Compute(u, mask).F1;
            return new QualityScores(accuracy, f1);
        }
        string loss = config.Loss == HyperCleaningLoss.Squared ? "squared loss" : "cross-entropy";
        return new ComparisonInstance(string.Create(CultureInfo.InvariantCulture,
                $"hyper-cleaning, {loss}, {data.Description}, N = {data.XTrain.Rows}, N' = {data.XValidation.Rows}, m = {data.XTrain.Columns}, corruption {config.Corruption}"),
            problem, u0, new double[problem.LowerDimension])
        { Quality = Quality };
    }

    private static (double[] U0, double[] V0) Start(int dimension, int seed)
    {
        var random = new Random(unchecked(seed * 31 + 7));
        double[] Draw() => Enumerable.Range(0, dimension).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        return (Draw(), Draw());
    }
}
