using System.Runtime.InteropServices;

namespace Pbgd.Cli;

/// SIGINT (Ctrl+C) and SIGTERM (what `kill`, systemd, Docker and job schedulers send) both stop a run the same way: the
/// iteration under way finishes, the final checkpoint and the outputs are written, and the exit code says which signal
/// it was (130 = 128 + 2, 143 = 128 + 15, as a shell reports a process killed by it). A second signal is not caught: the
/// process then ends at once, as it would without this handler.
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _received; // 0, or the PosixSignal of the first signal

    internal StopSignals()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    internal CancellationToken Token => _cancel.Token;

    /// The exit code of a run stopped by the signal received (130 when none was: a cancellation from elsewhere).
    internal int ExitCode => (PosixSignal)Volatile.Read(ref _received) == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref _received, (int)context.Signal, 0) != 0) return; // the second one: default action
        context.Cancel = true;
        string name = context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT";
        Console.Error.WriteLine($"{name}: stopping after this iteration and writing the results and the checkpoint; a second signal ends the process at once.");
        _cancel.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cancel.Dispose();
    }
}
