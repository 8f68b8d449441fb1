using System.Globalization;
using System.Text.Json;
using ItDrift.Tbm.Access;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Changes;

/// <summary>One change of a simulation (docs/changes.md, simulation).</summary>
/// <param name="Path">Where it is in the document: <c>$.changes[2]</c>, for messages.</param>
public abstract record SimulationChange(string Path);

/// <summary>
/// A change to cost: the run's cost mapped to the lines the selection matches (a cost pool, an object such as a
/// tower, an account range, or several of them together), by a percentage or by an amount.
/// </summary>
/// <param name="Path">Where it is in the document.</param>
/// <param name="CostPool">Only cost of this pool, or <see langword="null"/>.</param>
/// <param name="Object">Only cost mapped to this object (a tower, a service), or <see langword="null"/>.</param>
/// <param name="AccountFrom">Only accounts from this one (with <paramref name="AccountTo"/>), or <see langword="null"/>.</param>
/// <param name="AccountTo">Only accounts up to this one, inclusive.</param>
/// <param name="Percent">By this percentage (at most four decimals), or <see langword="null"/>.</param>
/// <param name="Amount">By this amount in öre (given in kronor), or <see langword="null"/>.</param>
public sealed record CostChange(string Path, string? CostPool, string? Object, int? AccountFrom, int? AccountTo, decimal? Percent, long? Amount) : SimulationChange(Path);

/// <summary>A change to a driver volume: the quantity of a key (driver) for one of its targets (a tenant or an object).</summary>
/// <param name="Path">Where it is in the document.</param>
/// <param name="Driver">The key.</param>
/// <param name="Target">The tenant or object whose quantity changes.</param>
/// <param name="Quantity">The new quantity, in millionths (0: none).</param>
public sealed record VolumeChange(string Path, string Driver, string Target, long Quantity) : SimulationChange(Path);

/// <summary>A rule allocated by another key: the rule of <paramref name="Rule"/> (its source) uses <paramref name="Driver"/>.</summary>
/// <param name="Path">Where it is in the document.</param>
/// <param name="Rule">The rule's source object.</param>
/// <param name="Driver">The key it switches to.</param>
public sealed record KeyChange(string Path, string Rule, string Driver) : SimulationChange(Path);

/// <summary>A tenant leaving: it no longer takes any share of any rule.</summary>
/// <param name="Path">Where it is in the document.</param>
/// <param name="Tenant">The tenant.</param>
public sealed record TenantLeaves(string Path, string Tenant) : SimulationChange(Path);

/// <summary>A tenant joining, as in a quote: a new tenant with quantities of services charged by a key.</summary>
/// <param name="Path">Where it is in the document.</param>
/// <param name="Tenant">The new tenant's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Quantities">Quantity per service in millionths, in the unit of the service's key.</param>
public sealed record TenantJoins(string Path, string Tenant, string Name, IReadOnlyDictionary<string, long> Quantities) : SimulationChange(Path);

/// <summary>A simulation's changes as read from JSON (<see cref="SimulationJson.Read"/>).</summary>
/// <param name="Source">What they were read from (a file's name, or <c>the body</c>), for messages.</param>
/// <param name="FiscalYear">The year to simulate, or <see langword="null"/>: the first without an actual outcome, else the last.</param>
/// <param name="Changes">The changes, in the order given.</param>
public sealed record SimulationChanges(string Source, int? FiscalYear, IReadOnlyList<SimulationChange> Changes)
{
    /// <summary>Whether every change is a volume change of <paramref name="tenant"/>'s own quantities (what a tenant may simulate).</summary>
    public bool OnlyVolumesOf(string tenant) => Changes.All(c => c is VolumeChange v && string.Equals(v.Target, tenant, StringComparison.Ordinal));
}

/// <summary>
/// Reads a simulation's changes from JSON, strictly: the one schema of <c>tbm simulate --changes</c> and the read
/// API's <c>POST /v1/runs/{runId}/simulations</c> (docs/changes.md). An unknown or repeated property, a wrong
/// type, a value out of range or the reserved id <c>UNMAPPED</c> is refused in one line naming the source and the
/// JSON path (<c>changes.json: $.changes[1].percent: must be a number</c>).
/// </summary>
public static class SimulationJson
{
    /// <summary>The most changes one simulation may hold.</summary>
    public const int MaxChanges = 1000;

    /// <summary>The kinds of change, the value of each change's <c>type</c>.</summary>
    public static IReadOnlyList<string> Types { get; } = ["cost", "volume", "key", "leave", "join"];

    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["cost"] = ["type", "costPool", "object", "accounts", "percent", "amount"],
        ["volume"] = ["type", "driver", "target", "quantity"],
        ["key"] = ["type", "rule", "driver"],
        ["leave"] = ["type", "tenant"],
        ["join"] = ["type", "tenant", "name", "quantities"],
    };

    /// <summary>The changes in <paramref name="utf8"/>.</summary>
    /// <param name="utf8">The JSON.</param>
    /// <param name="source">What it was read from, the start of every message (a file's path, or <c>the body</c>).</param>
    /// <exception cref="TbmException">Not changes of this schema (kind <see cref="TbmErrorKind.Usage"/>): one line naming the source and the JSON path.</exception>
    public static SimulationChanges Read(ReadOnlySpan<byte> utf8, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: ") : "";
            throw TbmException.Usage($"{source}: {where}not valid JSON ({FirstSentence(e.Message)})");
        }

        using (document)
        {
            return new Reader(source).Document(document.RootElement);
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd('.', ' ');
    }

    private sealed class Reader(string source)
    {
        private TbmException Error(string path, string message) => TbmException.Usage($"{source}: {path}: {message}");

        public SimulationChanges Document(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error("$", "must be an object: {\"year\": 2026, \"changes\": [ … ]}");
            }

            Only(root, "$", ["year", "changes"]);
            int? year = root.TryGetProperty("year", out var y) ? Integer(y, "$.year", 1900, 9999) : null;
            if (!root.TryGetProperty("changes", out var list))
            {
                throw Error("$", "changes is required: a list of changes");
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                throw Error("$.changes", "must be a list of changes");
            }

            if (list.GetArrayLength() > MaxChanges)
            {
                throw Error("$.changes", string.Create(CultureInfo.InvariantCulture, $"at most {MaxChanges} changes"));
            }

            var changes = new List<SimulationChange>();
            var i = 0;
            foreach (var element in list.EnumerateArray())
            {
                changes.Add(Change(element, string.Create(CultureInfo.InvariantCulture, $"$.changes[{i++}]")));
            }

            Distinct(changes);
            return new SimulationChanges(source, year, changes);
        }

        private SimulationChange Change(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "must be an object with a type");
            }

            if (!e.TryGetProperty("type", out var typeElement))
            {
                throw Error(path, $"type is required: one of {string.Join(", ", Types)}");
            }

            var type = Text(typeElement, path + ".type");
            if (!Allowed.TryGetValue(type, out var allowed))
            {
                throw Error(path + ".type", $"'{type}' is not a type of change: one of {string.Join(", ", Types)}");
            }

            Only(e, path, allowed);
            return type switch
            {
                "cost" => Cost(e, path),
                "volume" => new VolumeChange(path, Id(e, path, "driver"), Id(e, path, "target"), Quantity(Required(e, path, "quantity"), path + ".quantity")),
                "key" => new KeyChange(path, Id(e, path, "rule"), Id(e, path, "driver")),
                "leave" => new TenantLeaves(path, Id(e, path, "tenant")),
                _ => Join(e, path),
            };
        }

        private CostChange Cost(JsonElement e, string path)
        {
            var pool = e.TryGetProperty("costPool", out var p) ? Text(p, path + ".costPool") : null;
            if (pool is not null && (pool.Trim().Length == 0 || !Texts.IsPlain(pool)))
            {
                throw Error(path + ".costPool", "must be a cost pool's name");
            }

            var obj = e.TryGetProperty("object", out _) ? Id(e, path, "object") : null;
            int? from = null, to = null;
            if (e.TryGetProperty("accounts", out var accounts))
            {
                if (accounts.ValueKind != JsonValueKind.Object)
                {
                    throw Error(path + ".accounts", "must be an object: {\"from\": 5400, \"to\": 5499}");
                }

                Only(accounts, path + ".accounts", ["from", "to"]);
                from = Integer(Required(accounts, path + ".accounts", "from"), path + ".accounts.from", 0, 999_999_999);
                to = Integer(Required(accounts, path + ".accounts", "to"), path + ".accounts.to", 0, 999_999_999);
                if (from > to)
                {
                    throw Error(path + ".accounts", "from must not be greater than to");
                }
            }

            if (pool is null && obj is null && from is null)
            {
                throw Error(path, "a cost change names costPool, object or accounts (or several: the cost all of them match)");
            }

            var hasPercent = e.TryGetProperty("percent", out var percentElement);
            var hasAmount = e.TryGetProperty("amount", out var amountElement);
            if (hasPercent == hasAmount)
            {
                throw Error(path, "a cost change has either percent or amount");
            }

            decimal? percent = null;
            long? amount = null;
            if (hasPercent)
            {
                percent = Number(percentElement, path + ".percent", 4);
                if (percent is < -100m or > 10_000m)
                {
                    throw Error(path + ".percent", "must be between -100 and 10000");
                }
            }
            else
            {
                var kronor = Number(amountElement, path + ".amount", 2);
                if (Math.Abs(kronor) > 1_000_000_000_000m)
                {
                    throw Error(path + ".amount", "must be at most 10^12 kronor either way");
                }

                amount = (long)(kronor * 100m);
            }

            return new CostChange(path, pool, obj, from, to, percent, amount);
        }

        private TenantJoins Join(JsonElement e, string path)
        {
            var tenant = Id(e, path, "tenant");
            var name = Text(Required(e, path, "name"), path + ".name");
            if (name.Trim().Length == 0 || name.Length > 200 || !Texts.IsPlain(name))
            {
                throw Error(path + ".name", "must be a name of 1–200 characters without control or bidirectional-formatting characters");
            }

            var quantities = Required(e, path, "quantities");
            if (quantities.ValueKind != JsonValueKind.Object)
            {
                throw Error(path + ".quantities", "must be an object: {\"SERVICE\": quantity, …}");
            }

            var map = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var property in quantities.EnumerateObject())
            {
                var at = $"{path}.quantities.{property.Name}";
                if (Ids.TenantIdProblem(property.Name) is { } problem)
                {
                    throw Error(at, problem.Replace("choose another id", "name a service", StringComparison.Ordinal));
                }

                map[property.Name] = Quantity(property.Value, at);
            }

            if (map.Count == 0)
            {
                throw Error(path + ".quantities", "names no service");
            }

            return new TenantJoins(path, tenant, name, map);
        }

        /// <summary>A tenant leaves or joins once, and a volume or a key is changed once.</summary>
        private void Distinct(List<SimulationChange> changes)
        {
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var change in changes)
            {
                var key = change switch
                {
                    TenantLeaves l => "tenant " + l.Tenant,
                    TenantJoins j => "tenant " + j.Tenant,
                    VolumeChange v => $"volume {v.Driver} {v.Target}",
                    KeyChange k => "key " + k.Rule,
                    _ => null,
                };
                if (key is not null && !seen.TryAdd(key, change.Path))
                {
                    throw Error(change.Path, $"changes the same {key.Split(' ')[0]} as {seen[key]}");
                }
            }
        }

        private void Only(JsonElement e, string path, string[] allowed)
        {
            foreach (var property in e.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw Error($"{path}.{property.Name}", $"unknown property (expected {string.Join(", ", allowed)})");
                }
            }
        }

        private JsonElement Required(JsonElement e, string path, string name) =>
            e.TryGetProperty(name, out var value) ? value : throw Error(path, $"{name} is required");

        private string Id(JsonElement e, string path, string name)
        {
            var value = Text(Required(e, path, name), $"{path}.{name}");
            return Ids.TenantIdProblem(value) is { } problem
                ? throw Error($"{path}.{name}", problem.Replace("; choose another id", "", StringComparison.Ordinal))
                : value;
        }

        private string Text(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Error(path, "must be a string");

        private decimal Number(JsonElement e, string path, int decimals)
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetDecimal(out var value))
            {
                throw Error(path, "must be a number");
            }

            var scaled = value * Pow10(decimals);
            return scaled == decimal.Truncate(scaled)
                ? value
                : throw Error(path, string.Create(CultureInfo.InvariantCulture, $"at most {decimals} decimals"));
        }

        private int Integer(JsonElement e, string path, int min, int max) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value)
                ? value >= min && value <= max ? value : throw Error(path, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}"))
                : throw Error(path, "must be a whole number");

        private long Quantity(JsonElement e, string path)
        {
            var value = Number(e, path, 6);
            return value is < 0 or > 1_000_000_000_000m
                ? throw Error(path, "must be between 0 and 10^12")
                : (long)(value * 1_000_000m);
        }

        private static decimal Pow10(int n) => n switch { 2 => 100m, 4 => 10_000m, _ => 1_000_000m };
    }
}
