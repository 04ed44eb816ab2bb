using Pbgd.Problems;
using Pbgd.Problems.Toys;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Problems;

/// The built-in problems at seeded random points, by name: what the gradient and second-order tests run on.
internal static class ProblemCases
{
    internal static (IBilevelProblem Problem, double[] U, double[] V) Create(string name, Random random)
    {
        double[] Uniform(int n, double lo, double hi) => Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * random.NextDouble()).ToArray();
        switch (name)
        {
            case "squared":
            case "squared-ridge":
            {
                var d = HyperCleaningGenerator.Realistic(40, 15, 5, 3, 0.4, seed: 3);
                var p = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation,
                    new HyperCleaningSquaredOptions { Ridge = name == "squared" ? 0 : 0.3 });
                return (p, Uniform(p.UpperDimension, -2, 2), Uniform(p.LowerDimension, -0.5, 0.5));
            }
            case "cross-entropy":
            case "cross-entropy-soft":
            {
                var d = HyperCleaningGenerator.Realistic(40, 15, 5, 3, 0.4, seed: 4);
                var yTrain = d.YTrain;
                if (name == "cross-entropy-soft")
                {
                    // Probability targets summing to 0.7 per row exercise the s_i factor of the products.
                    yTrain = new Pbgd.Linalg.Matrix(d.YTrain.Rows, d.YTrain.Columns);
                    for (int i = 0; i < yTrain.Rows; i++)
                        for (int j = 0; j < yTrain.Columns; j++) yTrain.Span[i * yTrain.Columns + j] = 0.7 / yTrain.Columns;
                }
                var p = new HyperCleaningCrossEntropyProblem(d.XTrain, yTrain, d.XValidation, d.YValidation, regularization: 0.2);
                return (p, Uniform(p.UpperDimension, -2, 2), Uniform(p.LowerDimension, -0.5, 0.5));
            }
            case "replearn":
            {
                // The spec's shape (N = 3, N' = 5, m = 6, h = 8), at random points rather than the generator's start.
                var d = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 5);
                var p = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
                return (p, Uniform(p.UpperDimension, -1, 1), Uniform(p.LowerDimension, -1, 1));
            }
            case "replearn-wide":
            {
                // More outputs and a wider hidden layer, so every gemm transpose path sees non-square operands.
                var d = RepresentationLearningGenerator.Create(4, 7, 9, 12, 3, seed: 6);
                var p = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
                return (p, Uniform(p.UpperDimension, -1, 1), Uniform(p.LowerDimension, -1, 1));
            }
            case "example1":
                return (new XiaoChenExample1(), Uniform(1, -4, 4), Uniform(1, -4, 4));
            case "vpbgd-toy":
                // x inside [0, 3] (the toy's feasible box), y over the range the toy tests start from.
                return (new VpbgdToy(), Uniform(1, 0.05, 2.95), Uniform(1, -5, 8.5));
            case "rxgf-toy":
                return (new RxgfToy(20, seed: 3), Uniform(20, -2, 2), Uniform(20, -2, 2));
            default:
                return (new ConvexQuadraticToy(20, seed: 4), Uniform(20, -2, 2), Uniform(20, -2, 2));
        }
    }
}
