using System.CommandLine;
using Pbgd.Cli;
using Pbgd.Cli.Commands;

// The CLI is a thin shell: parse, call the library, map failures to documented exit codes.
var root = new RootCommand("Pbgd: penalty-based bilevel gradient descent with global-optimality guarantees.");
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(HyperCleanCommand.Create());
root.Subcommands.Add(RerunCommand.Create());
root.Subcommands.Add(DataCommand.Create());
root.Subcommands.Add(RepLearnCommand.Create());
root.Subcommands.Add(ResumeCommand.Create());
root.Subcommands.Add(CompareCommand.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {ExitCodes.ParseMessage(error.Message)}");
    Console.Error.WriteLine("Run 'pbgd --help' for usage.");
    return ExitCodes.BadInput;
}
// The library's exceptions are mapped to exit codes by ExitCodes.Run, not printed as crashes.
return ExitCodes.Run(() => parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }), parse.CommandResult.Command.Name);
