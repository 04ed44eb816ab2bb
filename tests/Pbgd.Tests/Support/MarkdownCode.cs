using System.Text.RegularExpressions;

namespace Pbgd.Tests.Support;

/// The fenced code blocks of a Markdown file, so a test can compile, run or compare what a reader copies.
internal static class MarkdownCode
{
    private static readonly Regex Fence = new(@"^```(?<lang>[\w+-]*)[ \t]*\r?\n(?<code>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline);

    /// Every block fenced with the language tag (e.g. "csharp"), in order, with '\n' line ends.
    internal static IReadOnlyList<string> Blocks(string path, string language) =>
        Fence.Matches(File.ReadAllText(path))
            .Where(m => m.Groups["lang"].Value == language)
            .Select(m => m.Groups["code"].Value.Replace("\r\n", "\n"))
            .ToArray();

    /// The folder holding Pbgd.sln, found upwards from the test assembly.
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pbgd.sln"))) return dir.FullName;
        throw new InvalidOperationException("Pbgd.sln not found above the test assembly.");
    }
}
