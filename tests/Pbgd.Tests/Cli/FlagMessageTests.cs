namespace Pbgd.Tests.Cli;

/// A bad value of each kind, through the CLI in a child process: exit code 2, "error: --flag: message" on stderr with
/// the flag the user typed, no framework suffixes, and no output folder.
[Trait("Speed", "Slow")]
public sealed class FlagMessageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-flags-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("hyperclean --dataset synthetic --train -3", "--train: the training set needs at least 1 sample, not -3.")]
    [InlineData("hyperclean --dataset synthetic --corrupt 1.5", "--corrupt: the corrupted fraction of training labels must lie in [0, 1], not 1.5.")]
    [InlineData("hyperclean --dataset synthetic --gamma ramp:1:2", "--gamma: 'ramp:1:2' is not a penalty schedule")]
    [InlineData("hyperclean --dataset synthetic --gamma -1", "--gamma: '-1' is not a penalty schedule: expected VALUE, ramp:START:END:STEPS or eps:EPS[:GAMMA0] (gamma must be a finite number ≥ 0.)")]
    [InlineData("hyperclean --dataset cifar", "--dataset: 'cifar' is not a known data set; the choices are:\n  mnist ")]
    [InlineData("hyperclean --dataset libsvm:a,b,c", "--dataset: 'libsvm:a,b,c': libsvm needs a training file and, optionally, a test file")]
    [InlineData("hyperclean --dataset csv:{train} --label-column label --val-file {five}", "--val-file: {five} has 4 features but {train} has 3.")]
    [InlineData("hyperclean --dataset csv:{train} --label-column 9", "--label-column: label column 9 is outside the 4 columns of {train}.")]
    [InlineData("hyperclean --dataset synthetic --oracle newton", "--oracle: the lower-level oracle must be exact, iterative or lbfgs, not 'newton'.")]
    [InlineData("hyperclean --dataset synthetic --loss cross-entropy --oracle exact", "--oracle: the cross-entropy model has no exact lower-level solution")]
    [InlineData("hyperclean --dataset synthetic --exact-solver cg --cg-tolerance 0.5", "--cg-tolerance: The conjugate-gradient tolerance must lie in (0, 1e−6].")]
    [InlineData("hyperclean --dataset synthetic --checkpoint-every 0", "--checkpoint-every: ")]
    [InlineData("hyperclean --dataset synthetic --holdout 1", "--holdout: the held-out fraction of the validation set must lie in [0, 1), not 1.")]
    [InlineData("hyperclean --dataset synthetic --val 3 --holdout 0.1", "--holdout: a held-out fraction of 0.1 holds out 0 of 3 validation rows; both parts need at least one.")]
    [InlineData("hyperclean --dataset synthetic --inner-tolerance 1", "--inner-tolerance: the inner tolerance factor κ must lie in (0, 1), not 1.")]
    [InlineData("hyperclean --dataset synthetic --inner-floor 0", "--inner-floor: the inner solves' floor must be finite and > 0, not 0.")]
    [InlineData("replearn --hidden 0", "--hidden: the hidden width h must be ≥ 1, not 0.")]
    [InlineData("replearn --data csv:a,b", "--data: 'csv:a,b': csv needs four files; the syntax is csv:XTRAIN,YTRAIN,XVAL,YVAL")]
    [InlineData("replearn --gamma ramp:x", "--gamma: 'ramp:x' is not a penalty schedule")]
    [InlineData("replearn --oracle newton", "--oracle: the lower-level oracle must be exact or iterative, not 'newton'.")]
    [InlineData("replearn --train 9", "--features: Need N' ≤ m and N ≤ m < N + N'")]
    [InlineData("compare --problem hyperclean --dataset synthetic --corrupt 2", "--corrupt: the corrupted fraction of training labels must lie in [0, 1], not 2.")]
    [InlineData("compare --problem hyperclean --dataset cifar", "--dataset: 'cifar' is not a known data set")]
    [InlineData("compare --problem quadratic --rxgf-epsilon -1", "--rxgf-epsilon: ε must be finite and ≥ 0, not -1.")]
    [InlineData("compare --problem quadratic --dimension 0", "--dimension must be ≥ 1, not 0.")]
    [InlineData("hyperclean --dataset synthetic --threads abc", "--threads: 'abc' is not a whole number.")]
    [InlineData("hyperclean --dataset synthetic --step 1e", "--step: '1e' is not a number.")]
    public void BadValuesExitWithTwoNamingTheFlag(string arguments, string expected)
    {
        string train = Path.Combine(_dir, "train.csv"), five = Path.Combine(_dir, "five.csv");
        File.WriteAllText(train, "a,b,label,c\n1,2,1,3\n4,5,2,6\n");
        File.WriteAllText(five, "a,b,label,c,d\n1,2,1,3,4\n");
        string Fill(string text) => text.Replace("{train}", train).Replace("{five}", five);
        string outDir = Path.Combine(_dir, "out");
        var (code, _, err) = Support.CliProcess.Run($"{Fill(arguments)} --out \"{outDir}\"", ("MKL_NUM_THREADS", "1"));
        Assert.Equal(2, code);
        Assert.Contains($"error: {Fill(expected)}", err.ReplaceLineEndings("\n"));
        Experiments.SettingMessageTests.Clean(err);
        Assert.False(Directory.Exists(outDir), "an output folder was created");
    }
}
