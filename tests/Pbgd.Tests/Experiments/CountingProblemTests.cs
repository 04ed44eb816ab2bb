using Pbgd.Checkpoints;
using Pbgd.Experiments.Comparison;
using Pbgd.Problems;
using Pbgd.Problems.Toys;
using Pbgd.Synthetic;

namespace Pbgd.Tests.Experiments;

/// <summary>The counting wrapper of <c>compare</c> offers exactly the wrapped problem's capabilities.</summary>
public sealed class CountingProblemTests
{
    [Fact]
    public void ForwardsExactlyTheCapabilitiesTheProblemHas()
    {
        var d = HyperCleaningGenerator.Realistic(60, 20, 3, 2, 0.3, 1);
        var squared = new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation);
        IBilevelProblem counting = new CountingProblem(squared);
        // The squared model has all of them; the counted ones answer through the wrapper, the others are its own.
        Assert.Same(counting, counting.GetCapability<ILowerLevelPair>());
        Assert.Same(counting, counting.GetCapability<IExactLowerLevel>());
        Assert.Same(counting, counting.GetCapability<ILowerLevelSecondOrder>());
        Assert.Same(squared, counting.GetCapability<IResumable>());
        Assert.Same(squared, counting.GetCapability<IFingerprinted>());

        // [A25]'s toy has an exact lower level and second-order products, but no pair evaluation, penalized solve, state
        // or fingerprint.
        IBilevelProblem toy = new CountingProblem(new RxgfToy(4, 1));
        Assert.Null(toy.GetCapability<ILowerLevelPair>());
        Assert.Null(toy.GetCapability<IExactPenalizedLowerLevel>());
        Assert.Null(toy.GetCapability<IResumable>());
        Assert.Null(toy.GetCapability<IFingerprinted>());
        Assert.Same(toy, toy.GetCapability<IExactLowerLevel>());
        Assert.Same(toy, toy.GetCapability<ILowerLevelSecondOrder>());
    }

    [Fact]
    public void APairEvaluationCountsAsTwoEvaluationsOfG()
    {
        var d = HyperCleaningGenerator.Realistic(60, 20, 3, 2, 0.3, 1);
        var counting = new CountingProblem(new HyperCleaningSquaredProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation));
        var u = new double[60];
        var v = new double[6];
        var pair = ((IBilevelProblem)counting).GetCapability<ILowerLevelPair>()!;
        pair.LowerPair(u, v, v, new double[60], new double[6], Span<double>.Empty, Span<double>.Empty);
        Assert.Equal(new WorkCounts(1, 1, 0, 0), counting.Counts);
    }
}
