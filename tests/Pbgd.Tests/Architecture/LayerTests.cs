using System.Text.RegularExpressions;

namespace Pbgd.Tests.Architecture;

/// <summary>
/// The layers inside each assembly (docs/architecture.md): a folder may use only folders of a lower rank. The project
/// references already stop an assembly from using one above it (Native ← Managed ← Experiments ← Cli); this test does
/// the same for the folders within Pbgd.Managed and Pbgd.Experiments, by reading which Pbgd namespaces each source
/// file names (using directives, qualified names and cref targets; comments aside).
/// </summary>
public sealed class LayerTests
{
    // Namespace → (folder, rank). Equal ranks may not use each other either: they are independent rooms.
    private static readonly Dictionary<string, (string Folder, int Rank)> Layers = new()
    {
        ["Pbgd.Native"] = ("Pbgd.Native", 0),
        ["Pbgd.Linalg"] = ("Linalg", 1),
        ["Pbgd.Validation"] = ("Validation", 1),
        ["Pbgd.Distributed"] = ("Distributed", 1),
        ["Pbgd.Kernels"] = ("Kernels", 2),
        ["Pbgd.Checkpoints"] = ("Checkpoints", 2),
        ["Pbgd.Schedules"] = ("Schedules", 2),
        ["Pbgd.Synthetic"] = ("Synthetic", 3),
        ["Pbgd.LeastSquares"] = ("LeastSquares", 3),
        ["Pbgd.Optimization"] = ("Optimization", 3),
        ["Pbgd.Problems"] = ("Problems", 4),
        ["Pbgd.LowerLevel"] = ("LowerLevel", 5),
        ["Pbgd.Certificates"] = ("Certificates", 6),
        ["Pbgd.Solvers"] = ("Solvers", 7),
        ["Pbgd.Data"] = ("Data", 10),
        ["Pbgd.Experiments.Setup"] = ("Setup", 10),
        ["Pbgd.Experiments"] = ("HyperCleaning, RepresentationLearning", 11),
        ["Pbgd.Experiments.Comparison"] = ("Comparison", 12),
        ["Pbgd.Reporting"] = ("Reporting", 13),
    };

    private static readonly Regex Comment = new(@"//.*?$|/\*.*?\*/", RegexOptions.Multiline | RegexOptions.Singleline);
    private static readonly Regex Cref = new(@"cref=""([^""]+)""");
    private static readonly Regex Named = new(@"(?<![\w.])(?:global::)?(Pbgd(?:\.[A-Z]\w*)+)");

    public static TheoryData<string> Projects => new() { "src/Pbgd.Managed", "src/Pbgd.Experiments" };

    [Theory]
    [MemberData(nameof(Projects))]
    public void EveryFolderUsesOnlyLowerLayers(string project)
    {
        string root = Path.Combine(RepositoryRoot(), project);
        var violations = new List<string>();
        int files = 0;
        foreach (string file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains("/obj/") || file.Contains("/bin/")) continue;
            string text = File.ReadAllText(file);
            string own = Longest(OwnNamespace(text));
            if (!Layers.TryGetValue(own, out var ownLayer)) { violations.Add($"{Relative(file)}: namespace {own} has no layer"); continue; }
            files++;
            foreach (string used in Used(text, own))
            {
                if (used == own || !Layers.TryGetValue(used, out var usedLayer)) continue;
                if (usedLayer.Rank >= ownLayer.Rank)
                    violations.Add($"{Relative(file)} ({own}, rank {ownLayer.Rank}) uses {used} (rank {usedLayer.Rank})");
            }
        }
        Assert.True(files > 20, $"only {files} files found under {root}: the test is not looking where the code is.");
        Assert.True(violations.Count == 0, "upward or sideways arrows:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void TheDetectorSeesAnUpwardReference()
    {
        // The detector itself: a file of the Problems layer that names the solvers in code must be caught.
        const string text = "namespace Pbgd.Problems;\n// Pbgd.Solvers in a comment does not count\nclass A { Pbgd.Solvers.PbgdOptions? o; }";
        Assert.Equal(["Pbgd.Solvers"], Used(text, "Pbgd.Problems").Where(n => Layers.ContainsKey(n)).ToArray());
    }

    private static IEnumerable<string> Used(string text, string own)
    {
        var crefs = Cref.Matches(text).Select(m => m.Groups[1].Value).ToList();
        string code = Comment.Replace(text, "") + "\n" + string.Join("\n", crefs);
        var found = new HashSet<string>();
        foreach (Match m in Named.Matches(code)) found.Add(Longest(m.Groups[1].Value));
        // Names relative to the file's own namespace root (e.g. Checkpoints.Fingerprint inside namespace Pbgd.Solvers).
        foreach (var ns in Layers.Keys)
        {
            string tail = ns["Pbgd.".Length..];
            if (Regex.IsMatch(code, $@"(?<![\w.]){Regex.Escape(tail)}\.[A-Z]")) found.Add(ns);
        }
        found.Remove(own);
        return found;
    }

    // Pbgd.Experiments.Comparison.ComparisonRunner → the longest known namespace prefix.
    private static string Longest(string name) =>
        Layers.Keys.Where(ns => name == ns || name.StartsWith(ns + ".", StringComparison.Ordinal)).MaxBy(ns => ns.Length) ?? name;

    private static string OwnNamespace(string text) => Regex.Match(text, @"^namespace ([\w.]+)\s*[;{]", RegexOptions.Multiline).Groups[1].Value;

    private static string Relative(string file) => Path.GetRelativePath(RepositoryRoot(), file);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pbgd.sln"))) return dir.FullName;
        throw new InvalidOperationException("Pbgd.sln not found above the test assembly.");
    }
}
