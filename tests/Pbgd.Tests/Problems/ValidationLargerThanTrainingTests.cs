using Pbgd.Problems;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Problems;

/// The problems' work buffers serve the larger of the two data sets: with more validation rows (N' = 25) than training
/// rows (N = 7) f, g and their gradients still equal the plain-loop references (PlainReference) and finite differences.
public class ValidationLargerThanTrainingTests
{
    private static readonly HyperCleaningInstance D = HyperCleaningGenerator.Realistic(7, 25, 4, 3, 0.3, seed: 9);

    [Fact]
    public void SquaredValuesAndGradientsHoldWithMoreValidationRows()
    {
        var p = new HyperCleaningSquaredProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, new HyperCleaningSquaredOptions { Ridge = 0.1 });
        var random = new Random(2);
        var u = Enumerable.Range(0, 7).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        var v = Enumerable.Range(0, 12).Select(_ => random.NextDouble() - 0.5).ToArray();
        Assert.True(PlainReference.Relative(p.Upper(u, v, new double[7], new double[12]), PlainReference.SquaredUpper(D.XValidation, D.YValidation, v)) <= 1e-12);
        Assert.True(PlainReference.Relative(p.Lower(u, v, new double[7], new double[12]), PlainReference.SquaredLower(D.XTrain, D.YTrain, u, v, 0.1)) <= 1e-12);
        foreach (var block in Support.FiniteDifferences.AllBlocks)
            Assert.True(Support.FiniteDifferences.RelativeError(p, u, v, block) <= Support.FiniteDifferences.Tolerance, block.ToString());
    }

    [Fact]
    public void CrossEntropyValuesAndGradientsHoldWithMoreValidationRows()
    {
        var p = new HyperCleaningCrossEntropyProblem(D.XTrain, D.YTrain, D.XValidation, D.YValidation, regularization: 0.1);
        var random = new Random(3);
        var u = Enumerable.Range(0, 7).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        var v = Enumerable.Range(0, 15).Select(_ => random.NextDouble() - 0.5).ToArray();
        Assert.True(PlainReference.Relative(p.Upper(u, v, new double[7], new double[15]), PlainReference.CrossEntropyUpper(D.XValidation, D.YValidation, v)) <= 1e-12);
        Assert.True(PlainReference.Relative(p.Lower(u, v, new double[7], new double[15]), PlainReference.CrossEntropyLower(D.XTrain, D.YTrain, u, v, 0.1)) <= 1e-12);
        foreach (var block in Support.FiniteDifferences.AllBlocks)
            Assert.True(Support.FiniteDifferences.RelativeError(p, u, v, block) <= Support.FiniteDifferences.Tolerance, block.ToString());
    }
}
