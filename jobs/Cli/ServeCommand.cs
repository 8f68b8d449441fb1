namespace ItDrift.Tbm.Jobs.Cli;

/// <summary><c>tbm serve [--urls URL] [--runs DIR] [--keys FILE]</c>: the read API over the runs store.</summary>
internal static class ServeCommand
{
    public static int Execute(Options options, TextWriter stdout)
    {
        options.AllowOnly("urls", "runs", "keys");
        var args = new List<string>();
        foreach (var name in new[] { "urls", "runs", "keys" })
        {
            if (options.Optional(name) is { } value)
            {
                args.Add("--" + name);
                args.Add(value);
            }
        }

        var app = ApiHost.Create([.. args]);
        stdout.WriteLine($"Serving the read API over {Path.GetFullPath(options.Optional("runs") ?? "runs")}; API reference at /scalar, OpenAPI at /openapi/v1.json. Ctrl+C stops.");
        app.Run();
        return CommandLine.Ok;
    }
}
