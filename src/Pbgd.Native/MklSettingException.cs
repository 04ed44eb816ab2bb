namespace Pbgd.Native;

/// <summary>
/// Thrown when an environment variable that configures MKL (<see cref="MklLibrary.ReproducibilityVariable"/>) holds a
/// value Pbgd does not accept. The message names the variable, the value and the accepted values; it is a bad input,
/// not a fault of the library (an <see cref="InvalidOperationException"/> for callers that caught that before).
/// </summary>
public sealed class MklSettingException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="variable">The environment variable.</param>
    /// <param name="message">What is wrong with its value and what is accepted, in words.</param>
    public MklSettingException(string variable, string message) : base(message) => Variable = variable;

    /// <summary>The environment variable whose value was refused.</summary>
    public string Variable { get; }
}
