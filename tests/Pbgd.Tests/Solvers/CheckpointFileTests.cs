using System.Text.Json.Nodes;
using Pbgd.LowerLevel;
using Pbgd.Schedules;
using Pbgd.Solvers;

namespace Pbgd.Tests.Solvers;

/// SolverCheckpoint's file: a saved checkpoint loads back equal; a missing, unreadable, empty, other-version, unsealed or
/// edited file is refused with what is wrong (the edited fields named, in the singular or the plural).
public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-ckptfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    private static SolverCheckpoint Checkpoint()
    {
        var q = BoxQuadraticProblem.Small();
        SolverCheckpoint? at = null;
        new PbgdJacobi(q, new ExactLowerLevelOracle(q), new PbgdOptions
        {
            Penalty = PenaltySchedule.Constant(2), MaxIterations = 3, CheckpointEvery = 2, Checkpoint = c => at ??= c,
        }).Run([0.2, -0.25], [1.5, -1, 2]);
        return at!;
    }

    private static void Edit(string path, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject();
        change(node);
        System.IO.File.WriteAllText(path, node.ToJsonString());
    }

    [Fact]
    public void ASavedCheckpointLoadsBackEqualWithItsHashes()
    {
        var c = Checkpoint();
        Assert.Null(c.ContentHash);
        c.Save(File("a.json"));
        var loaded = SolverCheckpoint.Load(File("a.json"));
        Assert.Equal(64, loaded.ContentHash!.Length);
        Assert.All(loaded.FieldHashes!.Values, h => Assert.Equal(16, h.Length));
        Assert.Contains("u", loaded.FieldHashes!.Keys);
        Assert.Equal((c.Algorithm, c.Iteration, c.Seconds, c.Counts, c.OptionsFingerprint), (loaded.Algorithm, loaded.Iteration, loaded.Seconds, loaded.Counts, loaded.OptionsFingerprint));
        Assert.Equal(c.U, loaded.U);
        Assert.Equal(c.History, loaded.History);
        Assert.Equal(SolverCheckpoint.CurrentVersion, loaded.Version);
        // The same content gives the same seal.
        c.Save(File("b.json"));
        Assert.Equal(loaded.ContentHash, SolverCheckpoint.Load(File("b.json")).ContentHash);
    }

    [Fact]
    public void AMissingUnreadableOrEmptyFileIsRefused()
    {
        Assert.Contains("no checkpoint there", Assert.Throws<FileNotFoundException>(() => SolverCheckpoint.Load(File("none.json"))).Message);
        System.IO.File.WriteAllText(File("junk.json"), "{\n  \"version\": 3,\n  oops");
        Assert.Contains("not a Pbgd checkpoint (line 3", Assert.Throws<InvalidDataException>(() => SolverCheckpoint.Load(File("junk.json"))).Message);
        System.IO.File.WriteAllText(File("null.json"), "null");
        Assert.Contains("empty checkpoint", Assert.Throws<InvalidDataException>(() => SolverCheckpoint.Load(File("null.json"))).Message);
    }

    [Fact]
    public void AnotherVersionOrAnUnsealedFileIsRefused()
    {
        (Checkpoint() with { Version = 2 }).Save(File("v2.json"));
        Assert.Contains("checkpoint format version 2; this build reads version 3",
            Assert.Throws<InvalidDataException>(() => SolverCheckpoint.Load(File("v2.json"))).Message);
        Checkpoint().Save(File("unsealed.json"));
        Edit(File("unsealed.json"), c => c.Remove("contentHash"));
        Assert.Contains("has no contentHash", Assert.Throws<InvalidDataException>(() => SolverCheckpoint.Load(File("unsealed.json"))).Message);
    }

    [Fact]
    public void AnEditedFileIsRefusedNamingTheEditedFields()
    {
        var c = Checkpoint();
        c.Save(File("one.json"));
        Edit(File("one.json"), n => n["iteration"] = 1);
        var one = Assert.Throws<InvalidDataException>(() => SolverCheckpoint.Load(File("one.json"))).Message;
        Assert.Contains("the checkpoint's iteration was changed after pbgd wrote it", one);

        c.Save(File("two.json"));
        Edit(File("two.json"), n => { n["iteration"] = 1; n["seconds"] = 9.5; });
        Assert.Contains("the checkpoint's iteration, seconds were changed", Assert.Throws<InvalidDataException>(() => SolverCheckpoint.Load(File("two.json"))).Message);

        c.Save(File("nofields.json"));
        Edit(File("nofields.json"), n => { n.Remove("fieldHashes"); n["seconds"] = 9.5; });
        Assert.Contains("content hash does not match its content", Assert.Throws<InvalidDataException>(() => SolverCheckpoint.Load(File("nofields.json"))).Message);

        // A changed field hash alone (the content intact) is not a changed content.
        c.Save(File("hashonly.json"));
        Edit(File("hashonly.json"), n => n["fieldHashes"]!["u"] = "0000000000000000");
        Assert.Equal(c.U, SolverCheckpoint.Load(File("hashonly.json")).U);
    }
}
