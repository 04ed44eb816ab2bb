namespace Pbgd.Validation;

/// <summary>A setting or argument has a value the library refuses. <see cref="ArgumentException.ParamName"/> names the
/// configuration property or the parameter (<c>Train</c>, <c>Dataset</c>, <c>LabelColumn</c>), and
/// <see cref="Message"/> says in words what is wrong and what is accepted, nothing more: the framework's exceptions
/// append " (Parameter 'x')" and "Actual value was v.", which read as noise to a person and speak in C# terms. A
/// front end maps the name to its own spelling of the setting (the CLI: a flag) and prints the message after it.</summary>
public sealed class InvalidValueException : ArgumentException
{
    private readonly string _message;

    /// <summary>Creates the exception.</summary>
    /// <param name="paramName">The property or parameter whose value is refused.</param>
    /// <param name="message">What is wrong, in words (e.g. "the training set needs at least 1 sample, not 0.").</param>
    public InvalidValueException(string paramName, string message) : base(message, paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(paramName);
        _message = message;
    }

    /// <summary>Creates the exception around the error that made the value unusable (e.g. a parse failure).</summary>
    /// <param name="paramName">The property or parameter whose value is refused.</param>
    /// <param name="message">What is wrong, in words.</param>
    /// <param name="innerException">The underlying error.</param>
    public InvalidValueException(string paramName, string message, Exception innerException) : base(message, paramName, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(paramName);
        _message = message;
    }

    /// <summary>The exception with a message whose numbers are written the same way on every machine.</summary>
    /// <param name="paramName">The property or parameter whose value is refused.</param>
    /// <param name="message">What is wrong, formatted with the invariant culture.</param>
    public static InvalidValueException Invariant(string paramName, FormattableString message) =>
        new(paramName, FormattableString.Invariant(message));

    /// <summary>What is wrong, without the framework's parameter suffix.</summary>
    public override string Message => _message;
}
