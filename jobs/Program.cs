using ItDrift.Tbm.Jobs.Cli;

return CommandLine.Run(args, Console.Out, Console.Error);
