using System.Globalization;
using System.Text.Json;
using ItDrift.Tbm.Quotes;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// <c>tbm quote --model DIR|--run DIR --order FILE [--year Y]</c>: what a prospective tenant would pay per service
/// and year (or an existing tenant after changing its order), the connection cost, and the change for every other tenant.
/// </summary>
/// <remarks>
/// The order is JSON: <c>{"tenant": {"id": "T-NEW", "name": "…", "employees": 40, "orgNr": "…"},
/// "quantities": {"INF-VM": 3, "END-OFF": 40}}</c>, quantities in the unit of each service's key.
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
        var biggest = quote.Effects.Where(e => e.Change != 0).OrderBy(e => e.Change).ThenBy(e => e.Tenant, StringComparer.Ordinal).Take(10).ToList();
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

    internal static QuoteOrder ReadOrder(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var tenant = root.GetProperty("tenant");
            var quantities = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var q in root.GetProperty("quantities").EnumerateObject())
            {
                quantities[q.Name] = q.Value.GetDecimal();
            }

            return new QuoteOrder(
                tenant.GetProperty("id").GetString()!,
                tenant.GetProperty("name").GetString()!,
                tenant.TryGetProperty("employees", out var e) ? e.GetInt32() : 0,
                tenant.TryGetProperty("orgNr", out var o) ? o.GetString() : null,
                quantities,
                root.TryGetProperty("fromYear", out var y) ? y.GetInt32() : null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IOException)
        {
            throw new UsageException($"cannot read the order {path}: {e.Message} (expected {{\"tenant\": {{\"id\", \"name\", \"employees\"}}, \"quantities\": {{\"SERVICE\": n}}}})");
        }
    }
}
