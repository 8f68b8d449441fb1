using BenchmarkDotNet.Running;
using ItDrift.Tbm.Benchmarks;

// tbm's benchmarks. `run.sh` is the way in; the commands other than BenchmarkDotNet's are:
//   smoke [--update]          seconds-long check of every benchmark's path against results/smoke.json (exit 1: ≥ 5× slower)
//   scale [SCALE…]            time and peak memory of whole runs, each in a fresh process, with the floor
//   stages MODEL [--memory-limit SIZE] [--temp-dir DIR]   one run, time per stage and peak memory
//   generate SCALE…           write the benchmark packages (kept in benchmarks/.data)
//   profile MODEL [--times N] map + allocate + fees N times with the floor and table sizes (TBM_TRACE_SQL=1: every statement)
//   api-load [--clients 64] [--seconds 20] [--tenants 16] [--out FILE]   the tenant fee request under concurrent clients: percentiles, requests/s
//   portal-load [--clients 64] [--seconds 20] [--tenants 16] [--store DIR] [--out FILE]   the portal's pages under concurrent signed-in clients
if (Environment.GetEnvironmentVariable("TBM_TRACE_SQL") == "1")
{
    System.Diagnostics.Trace.Listeners.Add(new System.Diagnostics.TextWriterTraceListener(Console.Error));
    System.Diagnostics.Trace.AutoFlush = true;
}

return args switch
{
    ["smoke", .. var rest] => Smoke.Run(update: rest.Contains("--update")),
    ["scale", .. var rest] => ScaleTable.Run(rest),
    ["stages", var model, .. var rest] => Stages.Run(model, rest),
    ["profile", var model, .. var rest] => Profile.Run(model, rest),
    ["api-load", .. var rest] => ApiLoad.Run(rest),
    ["portal-load", .. var rest] => PortalLoad.Run(rest),
    ["child", .. var rest] => ScaleTable.Child(rest),
    ["generate", .. var rest] => Generate(rest),
    _ => RunBenchmarkDotNet(args),
};

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(AllocateBenchmarks).Assembly).Run(args);
    return 0;
}

static int Generate(string[] scales)
{
    foreach (var scale in scales.Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)))
    {
        Console.WriteLine(BenchData.Package(scale));
        if (scale == 1)
        {
            Console.WriteLine(BenchData.Package(1, ItDrift.Tbm.Datasets.LedgerFormat.Csv));
            Console.WriteLine(BenchData.Package(1, ItDrift.Tbm.Datasets.LedgerFormat.SwedishCsv));
        }
    }

    return 0;
}
