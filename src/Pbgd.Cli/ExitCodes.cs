using Pbgd.Native;

namespace Pbgd.Cli;

/// The CLI's documented exit codes, and the one place exceptions become them.
internal static class ExitCodes
{
    internal const int Success = 0;
    internal const int Failure = 1;
    internal const int BadInput = 2;
    internal const int Diverged = 3;
    internal const int Interrupted = 130;

    internal static int Run(Func<int> action)
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
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
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
}
