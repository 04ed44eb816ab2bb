using Pbgd.Certificates;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;
using Xunit.Abstractions;

namespace Pbgd.Tests.UpperSteps;

/// Representation learning (the tests' instance, N = 3, N' = 5, m = 6, h = 8): PBGD-J with the L-BFGS upper step on the
/// joint (W1, W2) stops on its own projected-gradient rule, and its L_γ is then checked against the generic-branch
/// certificate min L_γ (least squares on the stacked system, computed independently of the solver).
public sealed class RepresentationLearningLbfgsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(10.0)]
    [InlineData(100.0)]
    [InlineData(1000.0)]
    public void LbfgsReachesTheCertifiedMinimumWithinFiveHundredIterations(double gamma)
    {
        var d = RepresentationLearningGenerator.Create(train: 3, validation: 5, features: 6, hidden: 8, outputs: 2, seed: 4);
        var problem = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, d.Hidden);
        var (minL, _) = RepresentationLearningCertificate.MinimumPenalized(d.XTrain, d.YTrain, d.XValidation, d.YValidation, gamma);
        int minRank = int.MaxValue;
        var result = new PbgdJacobi(problem, new ExactLowerLevelOracle(problem), new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(gamma), UpperStep = UpperStepRule.Lbfgs, MaxIterations = 500, GradientTolerance = 1e-9,
            Observer = (in IterationRecord r, ReadOnlySpan<double> _, ReadOnlySpan<double> _) => minRank = Math.Min(minRank, r.Rank),
        }).Run(d.W1.Data, d.W2.Data);
        double gap = result.Final.Penalized - minL;
        output.WriteLine($"γ = {gamma}: {result}; {result.Counts}; L_γ − min L_γ = {gap:E2}");
        Assert.Equal(d.XTrain.Rows, minRank); // the certificate applies only on the full-rank branch
        Assert.InRange(gap, -1e-12 * Math.Max(1, minL), 1e-10 * Math.Max(1, minL));
    }
}
