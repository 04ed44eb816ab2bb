using Pbgd.Data;
using Pbgd.Native;
using Pbgd.Validation;

namespace Pbgd.Cli;

/// The CLI's documented exit codes, and the one place exceptions become them.
internal static class ExitCodes
{
    internal const int Success = 0;
    internal const int Failure = 1;
    internal const int BadInput = 2;
    internal const int Diverged = 3;
    internal const int Interrupted = 130;
    internal const int Terminated = 143;

    /// Runs a command's action; a library exception that names a setting is printed as "--flag: message" (FlagNames).
    internal static int Run(Func<int> action, string? command = null)
    {
        try
        {
            return action();
        }
        catch (MklNotFoundException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Failure;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                       or PathException)
        {
            Console.Error.WriteLine($"error: {Describe(e, command)}");
            return BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Any other input or output fault: the system's message names the path and the cause.
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("interrupted");
            return Interrupted;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            return Failure;
        }
    }

    /// What the user reads for a bad-input exception: "--flag: message" when it names a setting this command has a
    /// flag for, the message alone otherwise; never the framework's " (Parameter 'x')" and "Actual value was v."
    /// suffixes (InvalidValueException has none; the core's ArgumentExceptions still do).
    internal static string Describe(Exception e, string? command)
    {
        if (e is not ArgumentException argument) return e.Message;
        string message = argument is InvalidValueException ? argument.Message : WithoutSuffixes(argument);
        return FlagNames.For(command, argument.ParamName) is { } flag && !message.StartsWith(flag, StringComparison.Ordinal)
            ? $"{flag}: {message}"
            : message;
    }

    /// A parse error in words: System.CommandLine names the CLR type it expected ("System.Nullable`1[System.Int32]").
    internal static string ParseMessage(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^Cannot parse argument '(?<value>.*)' for option '(?<flag>[^']+)' as expected type '(?<type>[^']+)'\.?$");
        if (!m.Success) return message;
        string type = m.Groups["type"].Value;
        string expected = type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : "a valid value";
        return $"{m.Groups["flag"].Value}: '{m.Groups["value"].Value}' is not {expected}.";
    }

    private static string WithoutSuffixes(ArgumentException e)
    {
        string message = e.Message;
        if (e is ArgumentOutOfRangeException { ActualValue: not null })
        {
            int actual = message.LastIndexOf(Environment.NewLine + "Actual value was ", StringComparison.Ordinal);
            if (actual >= 0) message = message[..actual];
        }
        string parameter = $" (Parameter '{e.ParamName}')";
        return e.ParamName is not null && message.EndsWith(parameter, StringComparison.Ordinal) ? message[..^parameter.Length] : message;
    }
}
