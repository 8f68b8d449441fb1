using System.Globalization;
using ItDrift.Tbm.Quotes;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm quote --model DIR|--run DIR --order FILE [--year Y]</c>: what a prospective tenant would pay per service
/// and year (or an existing tenant after changing its order), the connection cost, and the change for every other tenant.
/// </summary>
/// <remarks>
/// The order is the read API's JSON (<see cref="QuoteOrderDocument"/>): <c>{"tenantId": "T-NEW", "name": "…",
/// "employees": 40, "orgNr": "…", "quantities": {"INF-VM": 3, "END-OFF": 40}}</c>, quantities in the unit of each service's key.
/// </remarks>
internal static class QuoteCommand
{
    /// <summary>Quotes <paramref name="orderFile"/> from the run folder <paramref name="run"/> when given, else from the package <paramref name="model"/>.</summary>
    public static int Execute(string? model, string? run, string orderFile, int? fromYear, EngineSettings settings, TextWriter stdout, TextWriter stderr)
    {
        var order = ReadOrder(orderFile);
        if (fromYear is not null)
        {
            order = order with { FromYear = fromYear };
        }

        QuoteResult quote;
        try
        {
            // From a published run when given (fast: the ledger is not read again), else from the package.
            quote = run is not null
                ? TbmEngine.QuoteFromRun(run, order, settings)
                : TbmEngine.Quote(model ?? throw new UsageException("give --model DIR or --run DIR"), order, settings);
        }
        catch (ModelException e)
        {
            CommandLine.ReportErrors(e.Result, stderr, errorsFile: null);
            return CommandLine.ModelError;
        }

        foreach (var w in quote.Warnings)
        {
            stderr.WriteLine($"warning: {w.File}: {w.Message}");
        }

        stdout.WriteLine(quote.PreviousTotalByYear.Count > 0
            ? $"Quote for {order.TenantId}'s changed order"
            : $"Quote for {order.Name} ({order.TenantId}), {order.Employees.ToString(CultureInfo.InvariantCulture)} employees");
        stdout.WriteLine($"  {"year",-5} {"model",-11} {"service",-10} {"quantity",12} {"unit price",14} {"fee",16}");
        foreach (var line in quote.Lines)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {line.FiscalYear,-5} {line.FeeModel,-11} {line.Service,-10} {line.Quantity,12} {(line.UnitPrice is { } p ? CommandLine.Sek(p) : ""),14} {CommandLine.Sek(line.Fee),16}"));
        }

        foreach (var (year, total) in quote.TotalByYear.OrderBy(t => t.Key))
        {
            var others = quote.Effects.Where(e => e.FiscalYear == year).Sum(e => e.Change);
            var was = quote.PreviousTotalByYear.TryGetValue(year, out var previous) ? string.Create(CultureInfo.InvariantCulture, $" (now {CommandLine.Sek(previous)})") : "";
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {year}: total {CommandLine.Sek(total)} SEK{was}; the other tenants' fees change by {CommandLine.Sek(others)} SEK in all"));
        }

        stdout.WriteLine($"  Connection cost (once): {CommandLine.Sek(quote.ConnectionCost)} SEK");
        var biggest = LargestChanges(quote.Effects, 10);
        if (biggest.Count > 0)
        {
            stdout.WriteLine("  Largest changes for the other tenants:");
            foreach (var e in biggest)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {e.FiscalYear} {e.Tenant,-12} {CommandLine.Sek(e.Before),16} → {CommandLine.Sek(e.After),16} ({CommandLine.Sek(e.Change)})"));
            }
        }

        return CommandLine.Ok;
    }

    /// <summary>The order in <paramref name="path"/>: the read API's schema (<see cref="QuoteOrderJson"/>, docs/fees.md).</summary>
    internal static QuoteOrder ReadOrder(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"the order {path} does not exist");
        }

        try
        {
            return QuoteOrderJson.Read(bytes);
        }
        catch (TbmException e) when (e.Kind == TbmErrorKind.Usage)
        {
            throw new UsageException($"the order {path}: {e.Message}");
        }
    }

    /// <summary>The <paramref name="count"/> largest changes of the other tenants' fees, by size (a rise or a fall), then year and tenant.</summary>
    internal static IReadOnlyList<QuoteEffect> LargestChanges(IEnumerable<QuoteEffect> effects, int count) =>
        [.. effects.Where(e => e.Change != 0).OrderByDescending(e => Math.Abs(e.Change)).ThenBy(e => e.FiscalYear).ThenBy(e => e.Tenant, StringComparer.Ordinal).Take(count)];
}
