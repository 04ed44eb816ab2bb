using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Pbgd.Tests.Support;
using Xunit.Abstractions;

namespace Pbgd.Tests.Packaging;

/// Packs Pbgd.Native, Pbgd.Managed and the dotnet tool Pbgd.Cli once, the way the Pack target of build.cake does
/// (ContinuousIntegrationBuild, so SourceLink and deterministic paths), with a unique prerelease version into a
/// temporary feed, so no cached copy can stand in for the new one. Everything lives under one temporary directory: the
/// packing build uses its own artifacts path, so the repository's bin/ and obj/ (which the rest of the suite and the
/// next incremental build use) are never rewritten with a test-only version.
[Trait("Speed", "Slow")]
public sealed class PackedFeed : IDisposable
{
    public PackedFeed()
    {
        Root = MarkdownCode.RepositoryRoot();
        Temp = Path.Combine(Path.GetTempPath(), "pbgd-pack-" + Guid.NewGuid().ToString("N"));
        Feed = Path.Combine(Temp, "feed");
        Version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Environment.ProcessId;
        string build = Path.Combine(Temp, "build");
        var clock = Stopwatch.StartNew();
        // The tool first: its build compiles the libraries, which the next two packs find up to date.
        foreach (var project in new[] { "src/Pbgd.Cli/Pbgd.Cli.csproj", "src/Pbgd.Managed/Pbgd.Managed.csproj", "src/Pbgd.Native/Pbgd.Native.csproj" })
            Log.Add(Dotnet.Run($"pack \"{Path.Combine(Root, project)}\" -c Release -o \"{Feed}\" --artifacts-path \"{build}\" -p:Version={Version} -p:ContinuousIntegrationBuild=true{SourceLinkSwitch(Root)} -nologo", Root, Temp).Timing);
        Log.Add($"{clock.Elapsed.TotalSeconds,6:F1} s  packed");
    }

    // SourceLink's GitHub provider fails the build on a remote that is not a web address (a clone of a local path, as
    // some CI machines make): such a clone packs without SourceLink, as build.cake's Pack target does.
    private static string SourceLinkSwitch(string root)
    {
        var git = new ProcessStartInfo("git", "remote get-url origin") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(git)!;
        string url = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        bool web = System.Text.RegularExpressions.Regex.IsMatch(url, @"^(https?://|ssh://|[\w.-]+@[\w.-]+:)");
        return process.ExitCode == 0 && url.Length > 0 && !web ? " -p:EnableSourceLink=false" : "";
    }

    public string Root { get; }
    public string Temp { get; }
    public string Feed { get; }
    public string Version { get; }
    public List<string> Log { get; } = [];

    public string Package(string id, string extension = "nupkg") => Path.Combine(Feed, $"{id}.{Version}.{extension}");

    public void Dispose()
    {
        try { Directory.Delete(Temp, recursive: true); } catch (IOException) { }
    }
}

/// Runs dotnet (or a program) to the end; a non-zero exit fails the test with both streams.
internal static class Dotnet
{
    internal static (string Stdout, string Timing) Run(string arguments, string workingDirectory, string temp,
        string file = "dotnet", params (string Key, string Value)[] environment)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        // No MSBuild worker nodes or build server outliving the command: they would inherit the redirected
        // output pipes (ReadToEnd would wait for them) and keep running after the test.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        // Packages restored or installed for the test go to its own folder, never the machine's cache.
        info.Environment["NUGET_PACKAGES"] = Path.Combine(temp, "packages");
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(300_000), $"{file} {arguments} did not finish in 5 minutes");
        Assert.True(p.ExitCode == 0, $"{file} {arguments} failed ({p.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        return (stdout.Result, $"{clock.Elapsed.TotalSeconds,6:F1} s  {Path.GetFileName(file)} {arguments}");
    }
}

[Trait("Category", "Packaging")]
public class PackageConsumptionTests(PackedFeed feed, ITestOutputHelper output) : IClassFixture<PackedFeed>
{
    private string Run(string arguments, string workingDirectory, string file = "dotnet", params (string Key, string Value)[] environment)
    {
        var (stdout, timing) = Dotnet.Run(arguments, workingDirectory, feed.Temp, file, environment);
        output.WriteLine(timing);
        return stdout;
    }

    private static XElement Nuspec(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = entry.Open();
        return XDocument.Load(stream).Root!;
    }

    private static string? Metadata(XElement nuspec, string name) =>
        nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    [Fact]
    public void PackagesCarryTheirReadmeSymbolsAndMetadata()
    {
        foreach (var line in feed.Log) output.WriteLine(line);
        foreach (var (id, folder) in new[] { ("Pbgd.Native", "lib/net10.0/"), ("Pbgd.Managed", "lib/net10.0/"), ("Pbgd.Cli", "tools/net10.0/any/") })
        {
            string package = feed.Package(id);
            Assert.True(File.Exists(package), package);
            var nuspec = Nuspec(package);
            Assert.Equal("README.md", Metadata(nuspec, "readme"));
            Assert.Contains("MKL", Metadata(nuspec, "description"));
            Assert.Contains("bilevel-optimization", Metadata(nuspec, "tags"));
            // No made-up address: a repository URL only where the clone has a remote with a web address.
            Assert.DoesNotContain("example.invalid", nuspec.ToString());
            using (var zip = ZipFile.OpenRead(package))
            {
                string readme = new StreamReader(zip.GetEntry("README.md")!.Open()).ReadToEnd();
                Assert.Contains("apt-get install libmkl-rt libomp-dev", readme);
                Assert.Contains("PBGD_MKL_PATH", readme);
                Assert.NotNull(zip.GetEntry(folder + (id == "Pbgd.Cli" ? "pbgd.dll" : id + ".dll")));
            }
            // The symbols package holds the portable PDB (a PDB embedded in the DLL would leave it empty).
            using (var symbols = ZipFile.OpenRead(feed.Package(id, "snupkg")))
                Assert.Contains(symbols.Entries, e => e.FullName == folder + (id == "Pbgd.Cli" ? "pbgd.pdb" : id + ".pdb"));
        }
        Assert.Contains("libmkl-rt", Metadata(Nuspec(feed.Package("Pbgd.Native")), "description"));
        var tool = Nuspec(feed.Package("Pbgd.Cli"));
        Assert.Contains(tool.Descendants(), e => e.Name.LocalName == "packageType" && e.Attribute("name")?.Value == "DotnetTool");
    }

    /// The consumer project restores Pbgd.Managed (and through it Pbgd.Native) from the feed, then runs each package
    /// readme's example as its program: what a reader copies compiles against the packages and does what it says.
    [Fact]
    public void ReadmeExamplesRunAgainstThePackedLibraries()
    {
        string work = Path.Combine(feed.Temp, "consumer");
        Directory.CreateDirectory(work);
        // Copy the sample out of the repository so no repository build settings or outputs leak into it.
        foreach (var file in new[] { "PackageConsumer.csproj", "Directory.Build.props" })
            File.Copy(Path.Combine(feed.Root, "tests", "PackageConsumer", file), Path.Combine(work, file), overwrite: true);
        // Add the temporary feed next to the machine's own sources (inherited from the user's NuGet config).
        File.WriteAllText(Path.Combine(work, "nuget.config"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><add key=\"pbgd-test-feed\" value=\"{feed.Feed}\" /></packageSources></configuration>\n");
        string packages = Path.Combine(feed.Temp, "packages");
        Run($"restore -p:PbgdVersion={feed.Version} -nologo", work);
        Assert.True(Directory.Exists(Path.Combine(packages, "pbgd.managed", feed.Version)));
        Assert.True(Directory.Exists(Path.Combine(packages, "pbgd.native", feed.Version)));

        string RunExample(string readme)
        {
            var block = MarkdownCode.Blocks(Path.Combine(feed.Root, readme), "csharp");
            Assert.True(block.Count == 1, $"{readme}: expected one C# example, found {block.Count}");
            File.WriteAllText(Path.Combine(work, "Program.cs"), block[0]);
            string printed = Run($"run --no-restore -p:PbgdVersion={feed.Version}", work).Trim();
            output.WriteLine($"{readme} printed: {printed}");
            return printed;
        }

        // [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50]; the line through (0,1), (1,3), (2,5) is 1 + 2t.
        var values = RunExample("src/Pbgd.Native/README.md").Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(6, values.Length);
        Assert.Equal(new[] { 19.0, 22.0, 43.0, 50.0 }, values[..4]);
        Assert.InRange(Math.Abs(values[4] - 1), 0, 1e-14);
        Assert.InRange(Math.Abs(values[5] - 2), 0, 1e-14);

        Assert.StartsWith("PBGD-B: Converged after ", RunExample("src/Pbgd.Managed/README.md"));
    }

    /// `dotnet tool install` from the feed, then the installed `pbgd` runs `info` and a short hyper-cleaning run.
    [Fact]
    public void TheToolInstallsAndRuns()
    {
        string tools = Path.Combine(feed.Temp, "tools"), outDir = Path.Combine(feed.Temp, "tool-run");
        string installed = Run($"tool install --tool-path \"{tools}\" --add-source \"{feed.Feed}\" Pbgd.Cli --prerelease", feed.Temp);
        Assert.Contains(feed.Version, installed);
        string pbgd = Path.Combine(tools, "pbgd");
        Assert.Contains("MKL", Run("info", feed.Temp, pbgd));
        Run($"hyperclean --dataset synthetic --iterations 3 --out \"{outDir}\"", feed.Temp, pbgd);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal(3, summary.RootElement.GetProperty("iterations").GetInt32());
        Assert.True(File.Exists(Path.Combine(outDir, "trajectory.csv")));
        // ScottPlot's native SkiaSharp library comes inside the tool package.
        Reporting.PlotTests.AssertPng(Path.Combine(outDir, "convergence.png"));
    }
}
