using System.Globalization;

namespace Pbgd.Tests.Cli;

/// `pbgd compare --problem hyperclean` runs each solver on the very instance `pbgd hyperclean --algo` builds from the
/// same flags: its trajectories repeat the single-solver runs to the bit, and its table's accuracy is theirs.
[Trait("Speed", "Slow")]
public sealed class CompareHyperCleaningTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-compare-hc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(string arguments) => Support.CliProcess.Run(arguments, ("MKL_NUM_THREADS", "1"));

    private static List<string[]> Rows(string file, out string[] header)
    {
        var lines = File.ReadAllLines(file);
        header = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(',')).ToList();
    }

    [Theory]
    [InlineData("squared", "")]
    [InlineData("cross-entropy", "--loss cross-entropy")]
    public void EachSolversTrajectoryIsTheSingleSolverRun(string name, string loss)
    {
        const string data = "--dataset synthetic --train 60 --val 20 --test 20 --corrupt 0.4 --seed 3 --iterations 6 --log-every 1 --threads 1";
        string compare = Path.Combine(_dir, $"compare-{name}");
        var (code, _, err) = Run($"compare --problem hyperclean {data} {loss} --solvers pbgd-b,pbgd-j --out \"{compare}\"");
        Assert.True(code == 0, err);
        var trajectory = Rows(Path.Combine(compare, "comparison-trajectories.csv"), out var th);
        var table = Rows(Path.Combine(compare, "comparison.csv"), out var tableHeader);
        foreach (var algo in new[] { "pbgd-b", "pbgd-j" })
        {
            string single = Path.Combine(_dir, $"{name}-{algo}");
            (code, _, err) = Run($"hyperclean {data} {loss} --algo {algo} --out \"{single}\"");
            Assert.True(code == 0, err);
            var reference = Rows(Path.Combine(single, "trajectory.csv"), out var rh);
            var mine = trajectory.Where(r => r[Array.IndexOf(th, "solver")] == algo).ToList();
            Assert.Equal(7, mine.Count); // iterations 0…6
            Assert.Equal(reference.Count, mine.Count);
            for (int k = 0; k < mine.Count; k++)
                foreach (var (column, referenceColumn) in new[] { ("iteration", "iteration"), ("upper", "upper"), ("lower_gap", "lower_gap"), ("penalized", "penalized"), ("gradient_norm", "gradient_norm") })
                    Assert.Equal(reference[k][Array.IndexOf(rh, referenceColumn)], mine[k][Array.IndexOf(th, column)]);
            // The table's test accuracy (a percentage with two decimals) is the single run's last logged accuracy.
            double accuracy = double.Parse(reference[^1][Array.IndexOf(rh, "test_accuracy")], CultureInfo.InvariantCulture);
            var row = table.Single(r => r[0] == algo);
            Assert.Equal((100 * accuracy).ToString("F2", CultureInfo.InvariantCulture) + " %", row[Array.IndexOf(tableHeader, "test accuracy")]);
        }
    }
}
