namespace Pbgd.Native;

/// <summary>
/// Thrown when no MPI library could be loaded (or none is an implementation whose handles Pbgd knows). The message
/// lists every attempt with the loader's error and the command that installs Open MPI.
/// </summary>
public sealed class MpiNotFoundException : DllNotFoundException
{
    /// <summary>Creates the exception from the load attempts.</summary>
    /// <param name="attempts">Each candidate tried, with the loader's error.</param>
    public MpiNotFoundException(IReadOnlyList<string> attempts)
        : base(BuildMessage(attempts)) => Attempts = attempts;

    /// <summary>Every candidate tried, in order, with the loader's error.</summary>
    public IReadOnlyList<string> Attempts { get; }

    private static string BuildMessage(IReadOnlyList<string> attempts) =>
        "no MPI library could be loaded. Attempts:" + Environment.NewLine +
        string.Concat(attempts.Select(a => "  - " + a + Environment.NewLine)) +
        "Install Open MPI with:  " + MpiLibrary.InstallCommand + ", or set " + MpiLibrary.PathVariable +
        " to the full path of libmpi.so.";
}

/// <summary>An MPI call returned an error code (with the default error handler, MPI aborts before this is seen).</summary>
public sealed class MpiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="function">The MPI function.</param>
    /// <param name="code">Its return code.</param>
    public MpiException(string function, int code) : base($"{function} failed with MPI error code {code}.") =>
        (Function, Code) = (function, code);

    /// <summary>The MPI function that failed.</summary>
    public string Function { get; }

    /// <summary>Its return code.</summary>
    public int Code { get; }
}
