using System.Diagnostics;

namespace Pbgd.Tests.Native;

/// Runs the CLI (pbgd.dll, copied next to the test assembly) in a child process. MKL is loaded once per process
/// and its load-time modes cannot change afterwards, so loading behaviour is tested in children.
internal static class PbgdChild
{
    /// Variables that steer MKL loading; removed from the child's environment unless a test sets them.
    private static readonly string[] Steering = ["PBGD_MKL_PATH", "PBGD_MKL_CBWR", "MKL_CBWR", "MKL_THREADING_LAYER"];

    internal static (int Code, string Out, string Err) Run(string arguments, params (string Key, string Value)[] env)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "pbgd.dll");
        Assert.True(File.Exists(cli), $"{cli} is missing: the test project references Pbgd.Cli so that it is copied");
        var info = new ProcessStartInfo("dotnet", $"\"{cli}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var key in Steering) info.Environment.Remove(key);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"pbgd {arguments} did not finish within 60 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// The value printed after "name:" on its own line by `pbgd info` (null when absent).
    internal static string? Field(string output, string name) =>
        output.Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Select(l => l[(name.Length + 1)..].Trim())
            .FirstOrDefault();
}
