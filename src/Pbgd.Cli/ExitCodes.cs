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
        int code = RunAndMap(action, command);
        // A data-parallel run's failure on any rank ends every rank (its message above names the rank).
        if (code != Success && MpiSession.Active && Failed) MpiSession.Abort(code);
        return code;
    }

    // Whether the last Run ended in an exception (rather than an exit code the command returned on every rank alike).
    private static bool Failed;

    private static int RunAndMap(Func<int> action, string? command)
    {
        Failed = true;
        try
        {
            int code = action();
            Failed = false;
            return code;
        }
        catch (MklNotFoundException e)
        {
            Console.Error.WriteLine($"{MpiSession.Prefix}error: {e.Message}");
            return Failure;
        }
        catch (MpiNotFoundException e)
        {
            // --mpi asked for a library that is not there: the user's setting, like any other refused input.
            Console.Error.WriteLine($"error: --mpi: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                       or PathException or MklSettingException)
        {
            Console.Error.WriteLine($"{MpiSession.Prefix}error: {Describe(e, command)}");
            return BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Any other input or output fault: the system's message names the path and the cause.
            Console.Error.WriteLine($"{MpiSession.Prefix}error: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{MpiSession.Prefix}interrupted");
            return Interrupted;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{MpiSession.Prefix}error: {e.GetType().Name}: {e.Message}");
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
