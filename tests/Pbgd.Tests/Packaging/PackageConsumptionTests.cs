using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Pbgd.Tests.Packaging;

/// Packs Pbgd.Native and Pbgd.Managed with a unique prerelease version into a temporary feed and restores a
/// sample project from it into a temporary packages folder, so no cached copy can stand in for the new one.
/// Everything the test builds lives under one temporary directory: the packing build uses its own artifacts
/// path, so the repository's bin/ and obj/ (which the rest of the suite and the next incremental build use)
/// are never rewritten with a test-only version.
public class PackageConsumptionTests(ITestOutputHelper output)
{
    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pbgd.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Pbgd.sln not found above the test directory.");
    }

    private string Run(string arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        // No MSBuild worker nodes or build server outliving the command: they would inherit the redirected
        // output pipes (ReadToEnd would wait for them) and keep running after the test.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(300_000), $"dotnet {arguments} did not finish in 5 minutes");
        Assert.True(p.ExitCode == 0, $"dotnet {arguments} failed ({p.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  dotnet {arguments}");
        return stdout.Result;
    }

    [Fact]
    [Trait("Category", "Packaging")]
    public void PackedLibrariesWorkFromALocalFeed()
    {
        string root = RepositoryRoot();
        string temp = Path.Combine(Path.GetTempPath(), "pbgd-pack-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(temp, "feed"), packages = Path.Combine(temp, "packages");
        string build = Path.Combine(temp, "build"), work = Path.Combine(temp, "consumer");
        string version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Environment.ProcessId;
        var clock = Stopwatch.StartNew();
        try
        {
            // Managed first: its build compiles Native too, so packing Native afterwards finds it up to date.
            foreach (var project in new[] { "src/Pbgd.Managed/Pbgd.Managed.csproj", "src/Pbgd.Native/Pbgd.Native.csproj" })
                Run($"pack \"{Path.Combine(root, project)}\" -c Release -o \"{feed}\" --artifacts-path \"{build}\" -p:Version={version} -nologo", root);
            Assert.True(File.Exists(Path.Combine(feed, $"Pbgd.Native.{version}.nupkg")));
            Assert.True(File.Exists(Path.Combine(feed, $"Pbgd.Managed.{version}.nupkg")));

            // Copy the sample out of the repository so no repository build settings or outputs leak into it.
            Directory.CreateDirectory(work);
            foreach (var file in new[] { "PackageConsumer.csproj", "Program.cs", "Directory.Build.props" })
                File.Copy(Path.Combine(root, "tests", "PackageConsumer", file), Path.Combine(work, file));
            // Add the temporary feed next to the machine's own sources (inherited from the user's NuGet config).
            File.WriteAllText(Path.Combine(work, "nuget.config"),
                $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><add key=\"pbgd-test-feed\" value=\"{feed}\" /></packageSources></configuration>\n");
            Run($"restore -p:PbgdVersion={version} --packages \"{packages}\" -nologo", work);
            Assert.True(Directory.Exists(Path.Combine(packages, "pbgd.managed", version)));
            Assert.True(Directory.Exists(Path.Combine(packages, "pbgd.native", version)));
            string printed = Run($"run --no-restore -p:PbgdVersion={version} --packages \"{packages}\"", work).Trim();
            output.WriteLine($"sample printed: {printed}");

            // [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50]; the line through (0,1), (1,3), (2,5) is 1 + 2t.
            var values = printed.Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(6, values.Length);
            Assert.Equal(new[] { 19.0, 22.0, 43.0, 50.0 }, values[..4]);
            Assert.InRange(Math.Abs(values[4] - 1), 0, 1e-14);
            Assert.InRange(Math.Abs(values[5] - 2), 0, 1e-14);
        }
        finally
        {
            output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  in all");
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
        }
    }
}
