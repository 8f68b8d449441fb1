namespace ItDrift.Tbm.Jobs.Cli;

/// <summary><c>tbm serve [--urls URL] [--runs DIR] [--keys FILE]</c>: the read API over the runs store.</summary>
internal static class ServeCommand
{
    public static int Execute(string? urls, string? runs, string? keys, TextWriter stdout)
    {
        var args = new List<string>();
        foreach (var (name, given) in new[] { ("urls", urls), ("runs", runs), ("keys", keys) })
        {
            if (given is { } value)
            {
                args.Add("--" + name);
                args.Add(value);
            }
        }

        var app = ApiHost.Create([.. args]);
        stdout.WriteLine($"Serving the read API over {Path.GetFullPath(runs ?? "runs")}; API reference at /scalar, OpenAPI at /openapi/v1.json. Ctrl+C stops.");
        app.Run();
        return CommandLine.Ok;
    }
}
