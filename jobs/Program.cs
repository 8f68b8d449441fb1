using ItDrift.Tbm.Jobs.Cli;

if (Environment.GetEnvironmentVariable("TBM_TRACE_SQL") == "1")
{
    // The engine traces every statement's time (category "sql"); on the command line it goes to standard error.
    System.Diagnostics.Trace.Listeners.Add(new System.Diagnostics.TextWriterTraceListener(Console.Error) { TraceOutputOptions = System.Diagnostics.TraceOptions.None });
    System.Diagnostics.Trace.AutoFlush = true;
}

return CommandLine.Run(args, Console.Out, Console.Error);
