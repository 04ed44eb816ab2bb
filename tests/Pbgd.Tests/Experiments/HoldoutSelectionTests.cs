using System.Globalization;
using Pbgd.Data;
using Pbgd.Experiments;
using Pbgd.Linalg;
using Pbgd.Reporting;
using Pbgd.Solvers;

namespace Pbgd.Tests.Experiments;

/// Held-out model selection (hyperclean --holdout): the split is disjoint, complete and deterministic; the selected iterate
/// is the logged one with the smallest held-out loss, recomputed here in plain loops from iterates captured by an
/// identical run; the outputs hold it; and a resumed run selects the same iterate to the bit.
[Trait("Speed", "Slow")]
public sealed class HoldoutSelectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-holdout-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static HyperCleaningConfig Config(HyperCleaningLoss loss) => HyperCleaningConfig.Default with
    {
        Dataset = "synthetic", Train = 240, Validation = 100, Test = 80, Iterations = 24, LogEvery = 2, Threads = 1, Seed = 4,
        Holdout = 0.3, Loss = loss, BiasFeature = loss == HyperCleaningLoss.Squared,
        Oracle = loss == HyperCleaningLoss.Squared ? "exact" : "lbfgs",
        UpperStep = loss == HyperCleaningLoss.Squared ? UpperStepRule.Gradient : UpperStepRule.Lbfgs, Gamma = "3",
        Regularization = loss == HyperCleaningLoss.Squared ? 0 : 0.01,
    };

    [Fact]
    public void TheSplitIsDisjointCompleteAndDeterministic()
    {
        var config = Config(HyperCleaningLoss.CrossEntropy);
        var data = HyperCleaningExperiment.Synthetic(config);
        var a = HoldoutSplit.Create(data, 0.3, seed: 4);
        var b = HoldoutSplit.Create(data, 0.3, seed: 4);
        var c = HoldoutSplit.Create(data, 0.3, seed: 5);
        Assert.Equal(30, a.HoldoutRows.Length);
        Assert.Equal(70, a.OptimizationRows.Length);
        Assert.Empty(a.HoldoutRows.Intersect(a.OptimizationRows));
        Assert.Equal(Enumerable.Range(0, 100), a.HoldoutRows.Concat(a.OptimizationRows).Order());
        Assert.Equal(a.HoldoutRows, b.HoldoutRows);
        Assert.NotEqual(a.HoldoutRows, c.HoldoutRows);
        // The rows are the validation set's own, in its order; training, test and corruption are untouched.
        for (int i = 0; i < a.HoldoutRows.Length; i++)
        {
            Assert.Equal(data.XValidation.Row(a.HoldoutRows[i]).ToArray(), a.XHoldout.Row(i).ToArray());
            Assert.Equal(data.YValidation.Row(a.HoldoutRows[i]).ToArray(), a.YHoldout.Row(i).ToArray());
        }
        for (int i = 0; i < a.OptimizationRows.Length; i++)
            Assert.Equal(data.XValidation.Row(a.OptimizationRows[i]).ToArray(), a.Optimization.XValidation.Row(i).ToArray());
        Assert.Same(data.XTrain, a.Optimization.XTrain);
        Assert.Same(data.XTest, a.Optimization.XTest);
        Assert.Equal(data.CleanMask, a.Optimization.CleanMask);
        Assert.Throws<ArgumentOutOfRangeException>(() => HoldoutSplit.Create(data, 0.001, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => HoldoutSplit.Create(data, 1, 4));
    }

    [Theory]
    [InlineData(HyperCleaningLoss.CrossEntropy)]
    [InlineData(HyperCleaningLoss.Squared)]
    public void TheSelectedIterateHasTheSmallestHeldOutLossAndTheOutputsHoldIt(HyperCleaningLoss loss)
    {
        var config = Config(loss);
        var data = HyperCleaningExperiment.Synthetic(config);
        var report = HyperCleaningExperiment.Run(config, data);
        var selection = report.Selection!;

        // The same run again (deterministic), capturing every logged iterate.
        var split = HoldoutSplit.Create(data, config.Holdout, config.Seed);
        var problem = HyperCleaningExperiment.BuildProblem(config, split.Optimization);
        var iterates = new Dictionary<int, (double[] U, double[] V, double F)>();
        var solver = HyperCleaningExperiment.BuildSolver(config, problem, (in IterationRecord r, ReadOnlySpan<double> u, ReadOnlySpan<double> v) =>
        {
            if (r.Iteration % config.LogEvery == 0) iterates[r.Iteration] = (u.ToArray(), v.ToArray(), r.Upper);
        });
        var u0 = Enumerable.Repeat(config.InitialU, problem.UpperDimension).ToArray();
        var again = solver.Run(u0, new double[problem.LowerDimension]);
        Assert.Equal(report.Result.U, again.U);
        iterates[again.Iterations] = (again.U, again.V, again.Final.Upper);
        Assert.True(iterates.Count >= 12);

        var losses = iterates.ToDictionary(p => p.Key, p => HeldOutLoss(loss, split.XHoldout, split.YHoldout, p.Value.V, data.XTrain.Columns));
        var best = losses.OrderBy(p => p.Value).ThenBy(p => p.Key).First();
        Assert.Equal(best.Key, selection.Selected.Iteration);
        Assert.Equal(best.Value, selection.Selected.HoldoutLoss, 1e-10 * Math.Max(1, best.Value));
        Assert.Equal(losses[again.Iterations], selection.Last.HoldoutLoss, 1e-10 * Math.Max(1, losses[again.Iterations]));
        Assert.Equal(iterates[best.Key].F, selection.Selected.UpperObjective);
        Assert.Equal(again.Iterations, selection.Last.Iteration);
        // The trajectory's held-out column is the same losses.
        for (int q = 0; q < report.Quality.Count; q++)
            Assert.Equal(losses[report.Quality.Iterations[q]], report.Quality.HoldoutLoss[q], 1e-10 * Math.Max(1, losses[report.Quality.Iterations[q]]));

        HyperCleaningOutputs.Write(_dir, report, data, new Dictionary<string, string>());
        var weights = File.ReadAllLines(Path.Combine(_dir, "weights.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(iterates[best.Key].U, weights);
        var model = File.ReadAllLines(Path.Combine(_dir, "model.csv")).Skip(1)
            .SelectMany(l => l.Split(',').Skip(1).Select(x => double.Parse(x, CultureInfo.InvariantCulture))).ToArray();
        Assert.Equal(iterates[best.Key].V, model);
        var trajectory = File.ReadAllLines(Path.Combine(_dir, "trajectory.csv"));
        Assert.EndsWith(",holdout_loss", trajectory[0]);
        var summary = HyperCleaningSummary.Read(Path.Combine(_dir, "summary.json"));
        Assert.Equal(selection.Selected, summary.Holdout!.Selected);
        Assert.Equal(selection.Last, summary.Holdout.Last);
        Assert.Equal(30, summary.Holdout.Rows);
    }

    // f's loss on the held-out rows in plain loops: mean cross-entropy of softmax(XW + b), or ½‖Y − XW‖² (a sum, as f).
    private static double HeldOutLoss(HyperCleaningLoss loss, Matrix x, Matrix y, double[] v, int m)
    {
        int c = y.Columns;
        double total = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            var s = new double[c];
            for (int q = 0; q < c; q++)
            {
                s[q] = loss == HyperCleaningLoss.CrossEntropy ? v[m * c + q] : 0;
                for (int j = 0; j < m; j++) s[q] += x[i, j] * v[j * c + q];
            }
            if (loss == HyperCleaningLoss.CrossEntropy)
            {
                double max = s.Max();
                double lse = max + Math.Log(s.Sum(t => Math.Exp(t - max)));
                for (int q = 0; q < c; q++) total += y[i, q] * (lse - s[q]);
            }
            else
                for (int q = 0; q < c; q++) total += 0.5 * (y[i, q] - s[q]) * (y[i, q] - s[q]);
        }
        return loss == HyperCleaningLoss.CrossEntropy ? total / x.Rows : total;
    }

    [Fact]
    public void AResumedRunSelectsTheSameIterateAndKeepsTheWholeTrace()
    {
        var config = Config(HyperCleaningLoss.CrossEntropy) with { CheckpointEvery = 5 };
        var data = HyperCleaningExperiment.Synthetic(config);
        var full = HyperCleaningExperiment.Run(config, data);
        using var cancel = new CancellationTokenSource();
        SolverCheckpoint? last = null;
        string path = Path.Combine(_dir, "checkpoint.json");
        var interrupted = HyperCleaningExperiment.Run(config, data, p => { if (p.Record.Iteration >= 13) cancel.Cancel(); }, cancel.Token,
            c => { c.Save(path); last = c; });
        Assert.Equal(StopReason.Cancelled, interrupted.Result.StopReason);
        Assert.NotNull(last!.ObserverState);
        var resumed = HyperCleaningExperiment.Run(config, data, resumeFrom: SolverCheckpoint.Load(path));
        Assert.Equal(full.Selection!.Selected, resumed.Selection!.Selected);
        Assert.Equal(full.Selection.Last, resumed.Selection.Last);
        Assert.Equal(full.Selection.U, resumed.Selection.U);
        Assert.Equal(full.Selection.V, resumed.Selection.V);
        Assert.Equal(full.Quality.Iterations.ToArray(), resumed.Quality.Iterations.ToArray());
        Assert.Equal(full.Quality.HoldoutLoss.ToArray(), resumed.Quality.HoldoutLoss.ToArray());
        Assert.Equal(full.Quality.TestAccuracy.ToArray(), resumed.Quality.TestAccuracy.ToArray());
    }
}
