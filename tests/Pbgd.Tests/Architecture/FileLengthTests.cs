using System.Text.RegularExpressions;

namespace Pbgd.Tests.Architecture;

/// <summary>
/// No source file under src/, benchmarks/ or tests/ is longer than 400 lines unless one of its first 5 lines says why, in
/// a comment such as "// Over 400 lines: …" (a reason after the colon). Long files are split by concern instead
/// (partial classes, as the SecondOrder, Passes and Tree files are).
/// </summary>
public sealed class FileLengthTests
{
    private const int MaxLines = 400;
    private static readonly string[] Extensions = [".cs", ".py", ".sh"];
    private static readonly Regex Reason = new(@"^\s*(//+|#)\s*(over|longer than|more than) 400 lines\s*(:|because)\s*\S", RegexOptions.IgnoreCase);

    [Fact]
    public void NoSourceFileIsLongerThan400LinesWithoutAStatedReason()
    {
        string root = RepositoryRoot();
        var tooLong = new List<string>();
        int seen = 0;
        foreach (var folder in new[] { "src", "benchmarks", "tests" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories))
            {
                if (!Extensions.Contains(Path.GetExtension(file)) || IsBuildOutput(Path.GetRelativePath(root, file))) continue;
                seen++;
                var lines = File.ReadAllLines(file);
                if (lines.Length > MaxLines && !lines.Take(5).Any(Reason.IsMatch))
                    tooLong.Add($"{Path.GetRelativePath(root, file)} ({lines.Length} lines)");
            }
        // Guards the walk itself: a wrong root would find nothing and pass.
        Assert.True(seen > 300, $"only {seen} source files found under {root}");
        Assert.True(tooLong.Count == 0,
            $"longer than {MaxLines} lines without a reason in the first 5 lines (\"// Over {MaxLines} lines: …\"), split them: {string.Join(", ", tooLong)}");
    }

    [Theory]
    [InlineData("// Over 400 lines: one generated table.", true)]
    [InlineData("# longer than 400 lines because the peers' protocol is one script", true)]
    [InlineData("// Over 400 lines:", false)]
    [InlineData("var over400Lines = 1;", false)]
    public void TheReasonIsACommentWithTextAfterIt(string line, bool accepted) => Assert.Equal(accepted, Reason.IsMatch(line));

    private static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "BenchmarkDotNet.Artifacts" or "__pycache__" or ".venv");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pbgd.sln"))) return dir.FullName;
        throw new InvalidOperationException("Pbgd.sln not found above " + AppContext.BaseDirectory);
    }
}
