using System.Globalization;
using Pbgd.Data;
using Pbgd.Experiments;
using Pbgd.Linalg;
using Pbgd.LowerLevel;
using Pbgd.Problems;
using Pbgd.Schedules;
using Pbgd.Solvers;
using Pbgd.Synthetic;

namespace Pbgd.Tests.RepresentationLearning;

/// replearn's data: four CSV matrices give the same run, to the bit, as the same matrices handed to the solver with
/// the start drawn from the seed (uniform in ±1/√h, W1 then W2, from SplitMix64).
public sealed class RepresentationLearningDataTests : IDisposable
{
    private readonly Tests.Data.DataFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Write(string name, Matrix x) => _files.Text(name, string.Concat(Enumerable.Range(0, x.Rows).Select(i =>
        string.Join(',', x.Row(i).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\n")));

    [Fact]
    public void CsvMatricesRunLikeTheSameMatricesFromASeededStart()
    {
        var d = RepresentationLearningGenerator.Create(3, 5, 6, 8, 2, seed: 2);
        string spec = $"csv:{Write("xt.csv", d.XTrain)},{Write("yt.csv", d.YTrain)},{Write("xv.csv", d.XValidation)},{Write("yv.csv", d.YValidation)}";
        var config = new RepresentationLearningConfig { Data = spec, Hidden = 8, Iterations = 40, Tolerance = null, Seed = 11, LogEvery = 10, UpperStep = UpperStepRule.Gradient };
        var report = RepresentationLearningExperiment.Run(config);

        var random = new SplitMix64(11);
        var w1 = new Matrix(6, 8);
        var w2 = new Matrix(8, 2);
        foreach (var w in new[] { w1, w2 })
            for (int k = 0; k < w.Span.Length; k++) w.Span[k] = (2 * random.NextDouble() - 1) / Math.Sqrt(8);
        var problem = new RepresentationLearningProblem(d.XTrain, d.YTrain, d.XValidation, d.YValidation, 8);
        var expected = new PbgdJacobi(problem, new ExactLowerLevelOracle(problem),
            new PbgdOptions { Penalty = PenaltySchedule.Parse("100"), MaxIterations = 40, LogEvery = 10 }).Run(w1.Data, w2.Data);
        Assert.Equal(expected.U, report.Result.U);
        Assert.Equal(expected.V, report.Result.V);
        Assert.Equal(40, report.Result.Iterations);
    }
}
