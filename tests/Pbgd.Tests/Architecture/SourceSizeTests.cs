namespace Pbgd.Tests.Architecture;

/// <summary>
/// Small files with one purpose each (docs/architecture.md): no C# source file in src/, benchmarks/ or tests/ is longer
/// than 400 lines unless one of its first five lines says why ("Longer than 400 lines: …"). Generated folders (bin, obj)
/// are not sources.
/// </summary>
public sealed class SourceSizeTests
{
    private const int Limit = 400;
    private const string Reason = "Longer than 400 lines:";

    [Fact]
    public void NoSourceFileIsLongerThanTheLimitWithoutAStatedReason()
    {
        string root = RepositoryRoot();
        var tooLong = new List<string>();
        int seen = 0;
        foreach (string top in new[] { "src", "benchmarks", "tests" })
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, top), "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")) continue;
                seen++;
                var lines = File.ReadAllLines(file);
                if (lines.Length > Limit && !lines.Take(5).Any(l => l.Contains(Reason, StringComparison.Ordinal)))
                    tooLong.Add($"{relative}: {lines.Length} lines");
            }
        // Guards the walk itself: a wrong root would find nothing and pass.
        Assert.True(seen > 300, $"only {seen} source files found under {root}");
        Assert.True(tooLong.Count == 0, "longer than 400 lines with no reason in the first five lines:\n" + string.Join("\n", tooLong));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pbgd.sln"))) return dir.FullName;
        throw new InvalidOperationException("Pbgd.sln not found above the test assembly.");
    }
}
