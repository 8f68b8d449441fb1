namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm serve [--urls URL] [--runs DIR] [--keys FILE]</c>: the read API over the runs store. The API is a
/// program of its own (api/); this starts it with the same options and stands in for it (<see cref="ApiProcess"/>).
/// </summary>
internal static class ServeCommand
{
    public static int Execute(string? urls, string? runs, string? keys, TextWriter stdout, TextWriter stderr)
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

        var variable = Environment.GetEnvironmentVariable(ApiProcess.Variable);
        var api = ApiProcess.Locate(variable, AppContext.BaseDirectory);
        if (ApiProcess.Missing(variable, api) is { } missing)
        {
            stderr.WriteLine($"tbm: {missing}");
            return CommandLine.Failure;
        }

        stdout.WriteLine($"Serving the read API over {Path.GetFullPath(runs ?? "runs")}; API reference at /scalar, OpenAPI at /openapi/v1.json. Ctrl+C stops.");
        stdout.Flush();
        return ApiProcess.Run(api, args, stdout, stderr);
    }
}
