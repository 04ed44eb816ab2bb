using System.Diagnostics;
using Pbgd.Tests.Data;

namespace Pbgd.Tests.Mpi;

/// Starts the built CLI under mpirun in a child process (K ranks, oversubscribed: the machines have 2 cores).
internal static class MpiProcess
{
    /// mpirun's full path, or null when Open MPI is not installed.
    internal static string? Mpirun { get; } = Find("mpirun");

    internal static Process Start(int ranks, string arguments, params (string Key, string Value)[] environment)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "pbgd.dll");
        var info = new ProcessStartInfo(Mpirun!, $"--allow-run-as-root --oversubscribe -np {ranks} dotnet \"{cli}\" {arguments}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        // Local ranks inherit mpirun's environment.
        foreach (var (key, value) in Reproducible.Concat(environment)) info.Environment[key] = value;
        return Process.Start(info)!;
    }

    internal static (int Code, string Out, string Err) Run(int ranks, string arguments, params (string Key, string Value)[] environment)
    {
        using var p = Start(ranks, arguments, environment);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"'mpirun -np {ranks} pbgd {arguments}' did not finish in 5 minutes");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// The single-process run of the same arguments, with the same environment.
    internal static (int Code, string Out, string Err) RunAlone(string arguments) => Support.CliProcess.Run(arguments, Reproducible);

    // One MKL thread and the reproducibility branch of this test process in every child, so that runs in different
    // processes compare bit for bit (docs/environment.md).
    internal static readonly (string Key, string Value)[] Reproducible =
    [
        ("MKL_NUM_THREADS", "1"), ("KMP_BLOCKTIME", "0"),
        ("PBGD_MKL_CBWR", Pbgd.Native.MklLibrary.Reproducibility.ToString().ToUpperInvariant()),
    ];

    private static string? Find(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    internal static string? SkipReason(string? dataset)
    {
        if (Mpirun is null) return "mpirun not found on PATH: install Open MPI with 'bash native/install-deps.sh' (CI does).";
        if (dataset is not null && RealDatasetFactAttribute.Folder(dataset) is null)
            return $"{dataset} not fetched; run 'pbgd data fetch {dataset}'.";
        return null;
    }
}

/// A fact that needs mpirun (and, optionally, a fetched data set); skipped, with the reason, where they are absent.
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute(string? dataset = null) => Skip = MpiProcess.SkipReason(dataset);
}

/// A theory that needs mpirun; skipped, with the reason, where it is absent.
public sealed class MpiTheoryAttribute : TheoryAttribute
{
    public MpiTheoryAttribute(string? dataset = null) => Skip = MpiProcess.SkipReason(dataset);
}
