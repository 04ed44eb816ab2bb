using System.Diagnostics;
using System.Text.Json.Nodes;
using Pbgd.Tests.Support;

namespace Pbgd.Tests.Reliability;

/// `pbgd resume` refuses, with exit 2 and the field named, a checkpoint or run.json changed after pbgd wrote it, a
/// resume under another MKL reproducibility mode or thread count, and a resume on changed data (naming what changed).
public sealed class CheckpointIntegrityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pbgd-integrity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(string arguments, string threads = "1", string cbwr = "COMPATIBLE") =>
        CliProcess.Run(arguments, ("MKL_NUM_THREADS", threads), ("PBGD_MKL_CBWR", cbwr), ("KMP_BLOCKTIME", "0"));

    /// A run stopped by its time budget: its checkpoint is one to continue from. No --threads: MKL's own count
    /// (MKL_NUM_THREADS) is what the run records.
    private string Interrupted(string dataset = "synthetic --train 300 --val 100 --test 100", string cbwr = "COMPATIBLE", string name = "ckpt")
    {
        string ckpt = Path.Combine(_dir, name);
        var r = Run($"hyperclean --dataset {dataset} --iterations 1000000 --time-budget 0.3 --out \"{_dir}/out-{name}\" --checkpoint \"{ckpt}\"", cbwr: cbwr);
        Assert.True(r.Code == 0, r.Err);
        return ckpt;
    }

    private static void AssertRefused((int Code, string Out, string Err) r, params string[] words)
    {
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Err}");
        foreach (var w in words) Assert.Contains(w, r.Err);
        Assert.DoesNotContain("Exception", r.Err);
    }

    private static void Edit(string file, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        change(node);
        File.WriteAllText(file, node.ToJsonString());
    }

    [Fact]
    public void AnEditedCheckpointIsRefusedNamingTheField()
    {
        string ckpt = Interrupted();
        string file = Path.Combine(ckpt, "checkpoint.json");
        string original = File.ReadAllText(file);
        // A plausible value: inside U, finite, the right length; only the content hash can tell.
        Edit(file, c => c["u"]![5] = c["u"]![5]!.GetValue<double>() + 1e-3);
        AssertRefused(Run($"resume \"{ckpt}\""), "checkpoint's u was changed after pbgd wrote it");
        File.WriteAllText(file, original);
        Edit(file, c => { c["iteration"] = 3; c["seconds"] = 0.5; });
        AssertRefused(Run($"resume \"{ckpt}\""), "iteration, seconds were changed");
        File.WriteAllText(file, original);
        Edit(file, c => { c["fieldHashes"] = null; c["v"]![0] = 1.5; }); // without the field hashes, the whole-file hash still tells
        AssertRefused(Run($"resume \"{ckpt}\""), "content hash does not match");
        File.WriteAllText(file, original);
        Assert.Equal(0, Run($"resume \"{ckpt}\"").Code);
    }

    [Fact]
    public void AChangedThreadCountOrReproducibilityModeIsRefused()
    {
        string ckpt = Interrupted();
        string run = Path.Combine(ckpt, "run.json");
        string original = File.ReadAllText(run);
        Edit(run, r => r["config"]!["threads"] = 2);
        AssertRefused(Run($"resume \"{ckpt}\""), "config.threads was changed after pbgd wrote the file");
        File.WriteAllText(run, original);
        AssertRefused(Run($"resume \"{ckpt}\"", threads: "2"), "MKL would compute with 2 threads now; the run had 1", "MKL_NUM_THREADS=1");
        AssertRefused(Run($"resume \"{ckpt}\"", cbwr: "SSE4_2"), "PBGD_MKL_CBWR=SSE4_2", "Compatible");
        Assert.Equal(0, Run($"resume \"{ckpt}\"").Code);

        // A run that pinned no mode (empty PBGD_MKL_CBWR counts as unset) is not resumed under a pinned one.
        string unpinned = Interrupted(cbwr: "", name: "unpinned");
        AssertRefused(Run($"resume \"{unpinned}\""), "The run pinned no mode: resume without PBGD_MKL_CBWR.");
        Assert.Equal(0, Run($"resume \"{unpinned}\"", cbwr: "").Code);
    }

    [Fact]
    public void ChangedDataAreRefusedNamingWhatChanged()
    {
        string csv = Path.Combine(_dir, "data.csv");
        var random = new Random(3);
        File.WriteAllLines(csv, Enumerable.Range(0, 200).Select(i => $"{random.NextDouble():R},{random.NextDouble():R},{i % 3}"));
        string ckpt = Interrupted($"csv:{csv} --train 100 --val 50 --test 50");
        var lines = File.ReadAllLines(csv);
        lines[0] = "0.5,0.5,0";
        File.WriteAllLines(csv, lines);
        var r = Run($"resume \"{ckpt}\"");
        AssertRefused(r, "the data differ from the run's");
        Assert.Contains("feature values differ", r.Err);
        Assert.DoesNotContain("solver options", r.Err);
    }
}
