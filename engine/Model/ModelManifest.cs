using System.Text.Json;

namespace ItDrift.Tbm.Model;

/// <summary>An inclusive range of account numbers.</summary>
public readonly record struct AccountRange(int From, int To)
{
    /// <summary>Whether <paramref name="account"/> lies in the range.</summary>
    public bool Contains(int account) => account >= From && account <= To;
}

/// <summary>The supplier agency whose ledger the model allocates.</summary>
public sealed record Supplier(string Id, string Name, string OrgNr);

/// <summary>
/// <c>model.json</c>'s <c>billing</c>: the default frequency of the billing plan, the payment terms, and the accounts
/// and dimension of the bookings (docs/billing.md).
/// </summary>
/// <param name="Frequency"><c>monthly</c>, <c>quarterly</c>, <c>half-yearly</c> or <c>annual</c>: a tenant's without a <c>billing</c> row.</param>
/// <param name="PaymentTermsDays">Days from the invoice date to the due date.</param>
/// <param name="RevenueAccount">The fee revenue account (credited).</param>
/// <param name="ReceivablesAccount">The receivables account (debited).</param>
/// <param name="CustomerDimension">The SIE dimension whose object is the tenant on every booking line.</param>
internal sealed record BillingSettings(string Frequency, int PaymentTermsDays, int RevenueAccount, int ReceivablesAccount, int CustomerDimension)
{
    /// <summary>
    /// Half-yearly (Försäkringskassan's own move, and the state's direction: fewer invoices), 30 days, 3111 (the first
    /// account of the state chart's fees and other compensation, 3111–3499), 1511 (receivables from other agencies),
    /// dimension 8 (SIE's reserved customer dimension, "Kund").
    /// </summary>
    public static BillingSettings Default { get; } = new("half-yearly", 30, 3111, 1511, 8);
}

/// <summary><c>model.json</c>: who the model is for and which accounts are costs.</summary>
/// <remarks>Fields not named here are ignored, so later versions can add settings without breaking older engines.</remarks>
public sealed record ModelManifest(Supplier Supplier, string Name, IReadOnlyList<AccountRange> CostAccounts, string Currency, string Taxonomy)
{
    /// <summary>The most <c>costAccounts</c> ranges (docs/model-format.md §1.4).</summary>
    internal const int MaxCostAccountRanges = 1_000;

    /// <summary>The fee models a supplier may choose (docs/fees.md).</summary>
    public static IReadOnlyList<string> FeeModelNames { get; } = ["actual", "price-list", "three-year"];

    /// <summary>The fee model of years not named in <see cref="FeeModelByYear"/>; <c>actual</c> unless <c>feeModel</c> says otherwise.</summary>
    public string FeeModel { get; init; } = "actual";

    /// <summary>Fee models chosen for particular fee years.</summary>
    public IReadOnlyDictionary<int, string> FeeModelByYear { get; init; } = new Dictionary<int, string>();

    /// <summary>The three-year model's window as offsets from the fee year; default −1, 0, +1.</summary>
    public IReadOnlyList<int> ThreeYearWindow { get; init; } = [-1, 0, 1];

    /// <summary>The line of <c>threeYearWindow</c> in <c>model.json</c>, for error reports; 0 when it is not given.</summary>
    internal int ThreeYearWindowLine { get; init; }

    /// <summary>How FOCUS cost files in the package become ledger lines (<c>focus</c>; docs/focus.md).</summary>
    public FocusSettings Focus { get; init; } = FocusSettings.Default;

    /// <summary>The allocation methods <c>model.json</c>'s <c>allocation</c> may name (docs/model-format.md §1.4, §3.2).</summary>
    internal static IReadOnlyList<string> AllocationNames { get; } = ["step-down", "reciprocal"];

    /// <summary><c>allocation</c>: <c>step-down</c> (the default) or <c>reciprocal</c>, lower case.</summary>
    internal string Allocation { get; init; } = "step-down";

    /// <summary>Whether rules may form cycles, solved simultaneously (docs/model-format.md §3.2).</summary>
    internal bool Reciprocal => Allocation == "reciprocal";

    /// <summary>The billing settings (<c>billing</c> in <c>model.json</c>; docs/billing.md), defaults where not given.</summary>
    internal BillingSettings Billing { get; init; } = BillingSettings.Default;

    /// <summary>The fee model of a fee year.</summary>
    public string FeeModelOf(int fiscalYear) => FeeModelByYear.TryGetValue(fiscalYear, out var model) ? model : FeeModel;

    /// <summary>The file name inside a package.</summary>
    public const string FileName = "model.json";

    /// <summary>Default cost accounts: classes 4–8 of the Swedish state chart of accounts.</summary>
    public static IReadOnlyList<AccountRange> DefaultCostAccounts { get; } = [new(4000, 8999)];

    /// <summary>Reads and checks <c>model.json</c>; problems go to <paramref name="errors"/> and the result is then <see langword="null"/>.</summary>
    internal static ModelManifest? Read(string path, string packageName, List<ModelError> errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            errors.Add(new ModelError(FileName, 0, "", $"cannot read the file: {e.Message}"));
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            errors.Add(new ModelError(FileName, (int)(e.LineNumber ?? 0) + 1, "", $"not valid JSON: {e.Message}"));
            return null;
        }

        using (document)
        {
            var before = errors.Count;
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new ModelError(FileName, 1, "", "must be a JSON object"));
                return null;
            }

            void Error(string property, string reason) => errors.Add(new ModelError(FileName, LineOf(text, property), property, reason));

            string? String(JsonElement parent, string name, string path, bool required)
            {
                if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    if (required)
                    {
                        Error(path, "is required");
                    }

                    return null;
                }

                if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
                {
                    Error(path, "must be a non-empty string");
                    return null;
                }

                return value.GetString()!.Trim();
            }

            string? id = null, name = null, orgNr = null;
            if (!root.TryGetProperty("supplier", out var supplier) || supplier.ValueKind != JsonValueKind.Object)
            {
                Error("supplier", "is required: an object with id, name and orgNr");
            }
            else
            {
                id = String(supplier, "id", "supplier.id", required: true);
                if (id is not null && !Access.Ids.IsPathSegment(id))
                {
                    // One rule, the one a runs store needs: the id names the supplier's folder there.
                    Error("supplier.id", $"'{(id.Length <= 60 ? id : id[..60] + "…")}' is not a supplier id: letters, digits, '_', '-', '.', at most {Access.Ids.MaxLength} characters, not starting with '.'");
                }

                name = String(supplier, "name", "supplier.name", required: true);
                orgNr = String(supplier, "orgNr", "supplier.orgNr", required: true);
                if (orgNr is not null)
                {
                    if (Model.OrgNr.TryParse(orgNr, out var parsed, out var reason))
                    {
                        orgNr = parsed.Value;
                    }
                    else
                    {
                        Error("supplier.orgNr", reason);
                    }
                }
            }

            var ranges = new List<AccountRange>();
            if (root.TryGetProperty("costAccounts", out var accounts) && accounts.ValueKind != JsonValueKind.Null)
            {
                if (accounts.ValueKind != JsonValueKind.Array || accounts.GetArrayLength() == 0)
                {
                    Error("costAccounts", "must be a non-empty list of [from, to] account ranges");
                }
                else if (accounts.GetArrayLength() > MaxCostAccountRanges)
                {
                    // Each range is a term of the cost-line predicate every ledger query carries.
                    Error("costAccounts", $"has {accounts.GetArrayLength()} ranges; at most {MaxCostAccountRanges}: merge adjacent ranges");
                }
                else
                {
                    var i = 0;
                    foreach (var range in accounts.EnumerateArray())
                    {
                        var at = $"costAccounts[{i++}]";
                        if (range.ValueKind != JsonValueKind.Array || range.GetArrayLength() != 2
                            || !WholeNumber(range[0], out var from) || !WholeNumber(range[1], out var to))
                        {
                            Error(at, "must be [from, to] with two whole account numbers");
                            continue;
                        }

                        if (from > to)
                        {
                            Error(at, $"from {from} is greater than to {to}");
                            continue;
                        }

                        ranges.Add(new AccountRange(from, to));
                    }
                }
            }
            else
            {
                ranges.AddRange(DefaultCostAccounts);
            }

            var currency = String(root, "currency", "currency", required: false) ?? "SEK";
            if (!string.Equals(currency, "SEK", StringComparison.Ordinal))
            {
                Error("currency", $"'{currency}' is not supported: amounts are SEK");
            }

            var taxonomy = String(root, "taxonomy", "taxonomy", required: false) ?? "tbm-v4";
            var modelName = String(root, "name", "name", required: false) ?? packageName;
            var feeModel = "actual";
            var byYear = new Dictionary<int, string>();
            if (root.TryGetProperty("feeModel", out var fee) && fee.ValueKind != JsonValueKind.Null)
            {
                string? Model(JsonElement value, string at)
                {
                    var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    if (text is null || !FeeModelNames.Contains(text, StringComparer.Ordinal))
                    {
                        Error(at, $"must be one of {string.Join(", ", FeeModelNames)}");
                        return null;
                    }

                    return text;
                }

                if (fee.ValueKind == JsonValueKind.Object)
                {
                    foreach (var entry in fee.EnumerateObject())
                    {
                        if (entry.Name == "default")
                        {
                            feeModel = Model(entry.Value, "feeModel.default") ?? feeModel;
                        }
                        else if (int.TryParse(entry.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year) && year is >= 1900 and <= 2999)
                        {
                            if (Model(entry.Value, $"feeModel.{entry.Name}") is { } model)
                            {
                                byYear[year] = model;
                            }
                        }
                        else
                        {
                            Error("feeModel", $"'{entry.Name}' is neither a fee year nor 'default'");
                        }
                    }
                }
                else
                {
                    feeModel = Model(fee, "feeModel") ?? feeModel;
                }
            }

            var window = new List<int> { -1, 0, 1 };
            var windowLine = 0;
            if (root.TryGetProperty("threeYearWindow", out var w) && w.ValueKind != JsonValueKind.Null)
            {
                windowLine = LineOf(text, "threeYearWindow");
                var offsets = w.ValueKind == JsonValueKind.Array ? w.EnumerateArray().Select(e => WholeNumber(e, out var o) ? o : (int?)null).ToList() : [];
                if (offsets.Count == 0 || offsets.Any(o => o is null or < -10 or > 10) || offsets.Distinct().Count() != offsets.Count)
                {
                    Error("threeYearWindow", "must be a list of distinct whole year offsets between -10 and 10, e.g. [-1, 0, 1]");
                }
                else
                {
                    window = [.. offsets.Select(o => o!.Value).Order()];
                }
            }

            var focus = FocusSettings.Default;
            if (root.TryGetProperty("focus", out var focusJson) && focusJson.ValueKind != JsonValueKind.Null)
            {
                if (focusJson.ValueKind != JsonValueKind.Object)
                {
                    Error("focus", "must be an object: {\"account\": 5460, \"cost\": \"BilledCost\", \"costCenter\": \"ServiceCategory\", \"project\": \"ResourceId\"}");
                }
                else
                {
                    var cost = String(focusJson, "cost", "focus.cost", required: false) ?? focus.Cost;
                    if (!FocusSettings.CostColumns.Contains(cost, StringComparer.Ordinal))
                    {
                        Error("focus.cost", $"'{cost}' is not a cost column a FOCUS file is allocated by: {string.Join(" or ", FocusSettings.CostColumns)}");
                    }

                    int? account = null;
                    if (focusJson.TryGetProperty("account", out var a) && a.ValueKind != JsonValueKind.Null)
                    {
                        if (WholeNumber(a, out var number) && number >= 0)
                        {
                            account = number;
                        }
                        else
                        {
                            Error("focus.account", "must be a whole account number, e.g. 5460");
                        }
                    }

                    var costCenter = String(focusJson, "costCenter", "focus.costCenter", required: false) ?? focus.CostCenter;
                    var project = String(focusJson, "project", "focus.project", required: false) ?? focus.Project;
                    foreach (var (value, at) in new[] { (costCenter, "focus.costCenter"), (project, "focus.project") })
                    {
                        if (!FocusSettings.IsSourceColumn(value))
                        {
                            Error(at, $"'{value}' is neither a FOCUS column name (letters and digits, e.g. ServiceCategory) nor a tag (Tags.key)");
                        }
                    }

                    focus = new FocusSettings(cost, account, costCenter, project) { Line = LineOf(text, "focus") };
                }
            }

            var allocation = "step-down";
            if (root.TryGetProperty("allocation", out var method) && method.ValueKind != JsonValueKind.Null)
            {
                var named = method.ValueKind == JsonValueKind.String ? method.GetString()!.Trim().ToLowerInvariant() : null;
                if (named is null || !AllocationNames.Contains(named, StringComparer.Ordinal))
                {
                    Error("allocation", $"must be one of {string.Join(", ", AllocationNames)}");
                }
                else
                {
                    allocation = named;
                }
            }

            var billing = BillingSettings.Default;
            if (root.TryGetProperty("billing", out var bill) && bill.ValueKind != JsonValueKind.Null)
            {
                if (bill.ValueKind != JsonValueKind.Object)
                {
                    Error("billing", "must be an object: frequency, paymentTermsDays, revenueAccount, receivablesAccount, customerDimension");
                }
                else
                {
                    int Whole(string name, int fallback, int min, int max, string what)
                    {
                        if (!bill.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                        {
                            return fallback;
                        }

                        if (!WholeNumber(value, out var number) || number < min || number > max)
                        {
                            Error($"billing.{name}", FormattableString.Invariant($"must be {what}: a whole number {min}–{max}"));
                            return fallback;
                        }

                        return number;
                    }

                    var frequency = billing.Frequency;
                    if (bill.TryGetProperty("frequency", out var f) && f.ValueKind != JsonValueKind.Null)
                    {
                        var given = f.ValueKind == JsonValueKind.String ? f.GetString()!.Trim().ToLowerInvariant() : null;
                        if (given is null || !ItDrift.Tbm.Billing.BillingPeriods.Frequencies.Contains(given, StringComparer.Ordinal))
                        {
                            Error("billing.frequency", $"must be one of {ItDrift.Tbm.Billing.BillingPeriods.Choices}");
                        }
                        else
                        {
                            frequency = given;
                        }
                    }

                    billing = new BillingSettings(
                        frequency,
                        Whole("paymentTermsDays", billing.PaymentTermsDays, 0, 365, "days from the invoice date to the due date"),
                        Whole("revenueAccount", billing.RevenueAccount, 1000, 999_999, "an account number"),
                        Whole("receivablesAccount", billing.ReceivablesAccount, 1000, 999_999, "an account number"),
                        Whole("customerDimension", billing.CustomerDimension, 1, 999, "a SIE dimension number"));
                    if (billing.RevenueAccount == billing.ReceivablesAccount)
                    {
                        Error(bill.TryGetProperty("revenueAccount", out _) ? "billing.revenueAccount" : "billing.receivablesAccount",
                            FormattableString.Invariant($"revenue and receivables are both account {billing.RevenueAccount}: a voucher would book the fee against itself"));
                    }
                }
            }

            if (errors.Count > before)
            {
                return null;
            }

            return new ModelManifest(new Supplier(id!, name!, orgNr!), modelName, ranges, currency, taxonomy)
            {
                FeeModel = feeModel,
                FeeModelByYear = byYear,
                ThreeYearWindow = window,
                ThreeYearWindowLine = windowLine,
                Focus = focus,
                Allocation = allocation,
                Billing = billing,
            };
        }
    }

    /// <summary>A JSON number that is a whole <see cref="int"/>; any other kind of value is not (JsonElement.TryGetInt32 throws on one).</summary>
    private static bool WholeNumber(JsonElement element, out int value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
    }

    internal static bool IsId(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The line where the property of <paramref name="path"/> (<c>supplier.orgNr</c>, <c>costAccounts[0]</c>)
    /// is named, for error reports: each segment is looked for at its own depth, after its parent, outside
    /// strings and comments; 1 when it is not found.
    /// </summary>
    private static int LineOf(string text, string path)
    {
        var segments = path.Split('.').Select(p => p.Split('[')[0]).ToArray();
        var depth = 0;
        var found = 0;
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
            }
            else if (c is '{' or '[')
            {
                depth++;
            }
            else if (c is '}' or ']')
            {
                depth--;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] is '/' or '*')
            {
                var block = text[i + 1] == '*';
                var close = block ? text.IndexOf("*/", i + 2, StringComparison.Ordinal) : text.IndexOf('\n', i + 2);
                close = close < 0 ? text.Length : close;
                line += text.AsSpan(i, close - i).Count('\n');
                i = block ? close + 1 : close - 1;
            }
            else if (c == '"')
            {
                var begin = i + 1;
                for (i = begin; i < text.Length && text[i] != '"'; i++)
                {
                    i += text[i] == '\\' ? 1 : 0;
                }

                var name = text[begin..Math.Min(i, text.Length)];
                var next = i + 1;
                while (next < text.Length && char.IsWhiteSpace(text[next]) && text[next] != '\n')
                {
                    next++;
                }

                if (next < text.Length && text[next] == ':' && depth == found + 1 && name == segments[found] && ++found == segments.Length)
                {
                    return line;
                }
            }
        }

        return 1;
    }
}
