using DuckDB.NET.Data;
using ItDrift.Tbm.Database;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Validation;

/// <summary>
/// Money must not be lost silently. After the ledger's keys are mapped (<c>Allocator.MapKeys</c>, part of
/// <c>Allocator.Map</c>) and the allocation keys weighed (<c>Allocator.Weigh</c>), and before anything is allocated, three kinds of money that a run does
/// not allocate as the package probably meant are counted and warned about, for <c>tbm validate</c> and
/// <c>tbm run</c> alike:
/// <list type="bullet">
/// <item>ledger lines outside <c>costAccounts</c> are skipped and counted per BAS account class; an account
/// outside classes 1–3 (balance sheet, revenue) is a warning;</item>
/// <item>cost lines that no mapping row matches stay on <c>UNMAPPED</c>: a warning per account and cost centre;</item>
/// <item>a target of a driver rule without a row for the driver where it should have one receives nothing
/// from the rule: a warning per rule and target.</item>
/// </list>
/// A warning names the fiscal years and scenarios it concerns, with the amount of each. Every warning is
/// found by set-based statements over DuckDB tables; only the <see cref="ShownPerKind"/> listed per kind
/// (largest amounts first) and the per-period sums of the rest come back to C#, to be worded.
/// <c>docs/model-format.md</c> §1.6 gives the rules and why.
/// </summary>
internal static class MoneyChecks
{
    /// <summary>How many warnings of one kind are listed; the rest are summed up in one "… and N more".</summary>
    public const int ShownPerKind = 10;

    /// <summary>How many fiscal years and scenarios a warning lists.</summary>
    private const int PeriodsNamed = 9;

    /// <summary>How many projects an unmapped warning names.</summary>
    private const int ProjectsNamed = 3;

    /// <summary>Counts the skipped lines and adds the warnings; needs <c>cost_lines</c>, <c>mapped_keys</c>, <c>periods</c> and <c>weights</c>.</summary>
    public static LedgerCounts Run(DuckDBConnection connection, ModelManifest manifest, List<ModelWarning> warnings)
    {
        var counts = Skipped(connection, manifest, warnings);
        Unmapped(connection, warnings);
        MissingDriverRows(connection, warnings);
        connection.Execute("DROP TABLE IF EXISTS money_periods");
        connection.Execute("DROP TABLE IF EXISTS money_keys");
        return counts;
    }

    /// <summary>
    /// <c>skipped_lines</c>: the ledger outside <c>costAccounts</c> per fiscal year, scenario and account, with
    /// its account class; the counts per class; and a warning for each account outside classes 1–3, naming
    /// the fiscal years and scenarios in which its amount is not 0.00.
    /// </summary>
    private static LedgerCounts Skipped(DuckDBConnection connection, ModelManifest manifest, List<ModelWarning> warnings)
    {
        // The filter on the group key goes below the aggregation of the ledger_groups view, so only the
        // lines outside costAccounts are summed (the cost lines were summed once, into cost_lines).
        connection.Execute($"""
            CREATE OR REPLACE TABLE skipped_lines AS
            SELECT fiscal_year, scenario, account, {AccountClasses.Sql("account")} AS account_class,
                   CAST(sum(amount) AS BIGINT) AS amount, CAST(sum(lines) AS BIGINT) AS lines
            FROM ledger_groups l WHERE NOT ({ModelChecks.CostAccountPredicate(manifest, "l.account")})
            GROUP BY ALL
            """);

        var periods = connection.Query(
            "SELECT account_class, fiscal_year, scenario, CAST(sum(lines) AS BIGINT), CAST(sum(amount) AS BIGINT) FROM skipped_lines GROUP BY ALL ORDER BY 1, 2, 3",
            r => (Class: r.GetString(0), Period: new SkippedPeriod(r.GetInt32(1), r.GetString(2), r.Int64(3), r.Int64(4))));
        var byClass = periods
            .GroupBy(p => p.Class, StringComparer.Ordinal)
            .Select(g => new SkippedClass(g.Key, g.Sum(p => p.Period.Lines), g.Sum(p => p.Period.Amount), [.. g.Select(p => p.Period)]))
            .ToList();

        var ranked = Rank(
            connection,
            "SELECT account, account_class, fiscal_year, scenario, amount, lines, NULL::INTEGER AS seen_year, NULL::VARCHAR AS seen_scenario FROM skipped_lines WHERE account_class NOT IN ('1', '2', '3') AND amount <> 0",
            "account",
            "SELECT account, any_value(account_class) AS account_class FROM money_periods GROUP BY account",
            "account",
            r => (Account: r.GetInt32(0), Class: r.GetString(1)));
        foreach (var (key, list) in ranked.Shown)
        {
            var what = key.Class == AccountClasses.Other ? AccountClasses.Name(key.Class) : AccountClasses.Label(key.Class);
            warnings.Add(new ModelWarning(Tables.Ledger.Name, Invariant(
                $"account {key.Account}, {what}, is outside costAccounts and not a balance-sheet or revenue account, so it is skipped, not allocated: {Amounts(list)}. Correct the account, or add it to costAccounts if it is a cost"))
            {
                Money = new MoneyWarning(MoneyWarning.SkippedAccount, Periods(list)) { Arguments = new() { Account = key.Account, AccountClass = key.Class } },
            });
        }

        if (ranked.Rest.Count > 0)
        {
            warnings.Add(new ModelWarning(Tables.Ledger.Name, Invariant(
                $"… and {ranked.More} more accounts outside costAccounts and BAS classes 1–3, skipped, not allocated: {Amounts(ranked.Rest)}"))
            {
                Money = new MoneyWarning(MoneyWarning.SkippedAccount, Periods(ranked.Rest), Summary: true) { Arguments = new() { More = ranked.More } },
            });
        }

        var lines = connection.Scalar<long>("SELECT count(*) FROM ledger");
        var costLines = connection.Scalar<long>("SELECT coalesce(sum(lines), 0) FROM cost_lines");
        return new LedgerCounts(lines, costLines, byClass.Sum(c => c.Lines), byClass.Sum(c => c.Amount)) { SkippedByClass = byClass };
    }

    /// <summary>
    /// Cost lines that no mapping row matches (not those a mapping row sends to <c>UNMAPPED</c> on purpose),
    /// per account and cost centre, naming their projects and the fiscal years and scenarios in which their
    /// amount is not 0.00.
    /// </summary>
    private static void Unmapped(DuckDBConnection connection, List<ModelWarning> warnings)
    {
        var ranked = Rank(
            connection,
            """
            SELECT c.account, c.cost_center, c.fiscal_year, c.scenario,
                   CAST(sum(c.amount) AS BIGINT) AS amount, CAST(sum(c.lines) AS BIGINT) AS lines,
                   NULL::INTEGER AS seen_year, NULL::VARCHAR AS seen_scenario, list_distinct(list(c.project)) AS projects
            FROM cost_lines c
            WHERE NOT EXISTS (SELECT 1 FROM mapped_keys k WHERE k.account = c.account AND k.cost_center = c.cost_center AND k.project = c.project)
            GROUP BY c.account, c.cost_center, c.fiscal_year, c.scenario
            HAVING sum(c.amount) <> 0
            """,
            "account, cost_center",
            $"""
            SELECT account, cost_center, count(DISTINCT project) AS project_count, list_slice(list_sort(list_distinct(list(project))), 1, {ProjectsNamed}) AS named
            FROM (SELECT account, cost_center, unnest(projects) AS project FROM money_periods) GROUP BY account, cost_center
            """,
            "account, cost_center",
            r => (Account: r.GetInt32(0), CostCenter: r.GetString(1), Projects: r.Int64(2), Named: r.GetFieldValue<List<string>>(3)));
        foreach (var (key, list) in ranked.Shown)
        {
            var costCenter = key.CostCenter.Length == 0 ? "no cost centre" : $"cost centre '{key.CostCenter}'";
            warnings.Add(new ModelWarning(Tables.Ledger.Name, Invariant(
                $"account {key.Account}, {costCenter}, {Projects(key.Named, key.Projects)}, matches no mapping row, so it stays unallocated (UNMAPPED): {Amounts(list)}. Correct the cost centre or account, or add a mapping row"))
            {
                Money = new MoneyWarning(MoneyWarning.Unmapped, Periods(list))
                {
                    Arguments = new() { Account = key.Account, CostCenter = key.CostCenter, Projects = key.Named, ProjectCount = key.Projects },
                },
            });
        }

        if (ranked.Rest.Count > 0)
        {
            warnings.Add(new ModelWarning(Tables.Ledger.Name, Invariant(
                $"… and {ranked.More} more accounts and cost centres that match no mapping row, unallocated (UNMAPPED): {Amounts(ranked.Rest)}; trail/mapped_lines.parquet has every line"))
            {
                Money = new MoneyWarning(MoneyWarning.Unmapped, Periods(ranked.Rest), Summary: true) { Arguments = new() { More = ranked.More } },
            });
        }
    }

    /// <summary>
    /// Targets of driver rules without a row for the driver in a fiscal year and scenario with cost lines:
    /// <list type="bullet">
    /// <item>a <b>listed</b> target (tenant or object) without a row, where another listed target has a quantity
    /// above 0 (so the others share the money and it gets nothing);</item>
    /// <item>for a rule without listed targets (every tenant with a row), a <b>tenant</b> without a row, where other
    /// tenants have quantities, which has a quantity above 0 for the same driver in another scenario of the year
    /// or in the year before or after, and which takes other services then (a weight above 0 in another rule).
    /// A tenant that never uses the service, or that has stopped and takes no other service, is left alone.</item>
    /// </list>
    /// A row with quantity 0 says "none" on purpose and is never warned about.
    /// </summary>
    private static void MissingDriverRows(DuckDBConnection connection, List<ModelWarning> warnings)
    {
        var ranked = Rank(
            connection,
            """
            WITH driver_rules AS (
              SELECT r.source, r.driver, f.file, r.line, EXISTS (SELECT 1 FROM rule_targets t WHERE t.source = r.source) AS listed
              FROM rules r JOIN sources f USING (src) WHERE r.method = 'driver' AND r.driver IS NOT NULL),
            has_row AS (SELECT DISTINCT fiscal_year, scenario, driver, target FROM drivers),
            positive AS (SELECT DISTINCT fiscal_year, scenario, driver, target FROM drivers WHERE quantity > 0),
            -- (year, scenario, driver) with cost lines and a quantity above 0: the key shares money there.
            used AS (SELECT DISTINCT fiscal_year, scenario, driver FROM positive JOIN periods USING (fiscal_year, scenario)),
            -- What other rules give a tenant: how many sources with a weight above 0, and one of them.
            takes AS (
              SELECT w.fiscal_year, w.scenario, w.target, count(DISTINCT w.source) AS sources, min(w.source) AS a_source
              FROM weights w JOIN tenants t ON t.tenant_id = w.target WHERE w.w > 0 GROUP BY ALL),
            listed AS (
              SELECT r.source, t.target, p.fiscal_year, p.scenario, CAST(NULL AS INTEGER) AS seen_year, CAST(NULL AS VARCHAR) AS seen_scenario
              FROM driver_rules r JOIN rule_targets t ON t.source = r.source CROSS JOIN periods p
              WHERE EXISTS (SELECT 1 FROM positive d JOIN rule_targets o ON o.target = d.target
                            WHERE o.source = r.source AND d.fiscal_year = p.fiscal_year AND d.scenario = p.scenario AND d.driver = r.driver)
                AND NOT EXISTS (SELECT 1 FROM has_row h
                                WHERE h.fiscal_year = p.fiscal_year AND h.scenario = p.scenario AND h.driver = r.driver AND h.target = t.target)),
            -- A rule without listed targets, a (year, scenario) in which its key is used, a tenant that takes other
            -- services there but has no row: few (rules × periods × tenants at most), before any row is looked for near it.
            missing AS (
              SELECT r.source, r.driver, u.fiscal_year, u.scenario, k.target
              FROM driver_rules r
              JOIN used u ON u.driver = r.driver
              JOIN takes k ON k.fiscal_year = u.fiscal_year AND k.scenario = u.scenario
              WHERE NOT r.listed AND (k.sources > 1 OR k.a_source <> r.source)
                AND NOT EXISTS (SELECT 1 FROM has_row h
                                WHERE h.fiscal_year = u.fiscal_year AND h.scenario = u.scenario AND h.driver = r.driver AND h.target = k.target)),
            open AS (
              SELECT m.source, m.target, m.fiscal_year, m.scenario, s.fiscal_year AS seen_year, s.scenario AS seen_scenario,
                     row_number() OVER (PARTITION BY m.source, m.target, m.fiscal_year, m.scenario
                                        ORDER BY abs(s.fiscal_year - m.fiscal_year), s.fiscal_year, s.scenario) AS nearest
              FROM missing m
              JOIN positive s ON s.driver = m.driver AND s.target = m.target AND abs(s.fiscal_year - m.fiscal_year) <= 1
               AND NOT (s.fiscal_year = m.fiscal_year AND s.scenario = m.scenario))
            SELECT m.source, m.target, m.fiscal_year, m.scenario, NULL::BIGINT AS amount, CAST(0 AS BIGINT) AS lines, m.seen_year, m.seen_scenario,
                   r.driver, r.file, r.line, r.listed, EXISTS (SELECT 1 FROM tenants x WHERE x.tenant_id = m.target) AS is_tenant
            FROM (SELECT * FROM listed UNION ALL SELECT * EXCLUDE (nearest) FROM open WHERE nearest = 1) m
            JOIN driver_rules r USING (source)
            """,
            "source, target",
            """
            SELECT source, target, any_value(driver) AS driver, any_value(file) AS file, any_value(line) AS line, bool_or(listed) AS listed, bool_or(is_tenant) AS is_tenant
            FROM money_periods GROUP BY source, target
            """,
            "target, source",
            r => (Source: r.GetString(0), Target: r.GetString(1), Driver: r.GetString(2), File: r.GetString(3), Line: r.GetInt32(4), Listed: r.GetBoolean(5), IsTenant: r.GetBoolean(6)));
        foreach (var (key, list) in ranked.Shown)
        {
            var who = key.IsTenant ? $"tenant '{key.Target}'" : $"object '{key.Target}'";
            var outcome = key.IsTenant ? $"it pays nothing for {key.Source} there" : $"it receives nothing from {key.Source} there";
            var message = key.Listed
                ? Invariant($"line {key.Line}: {who} is a listed target of {key.Source} but has no row for driver '{key.Driver}' in {Names(list, seen: false)}, where other targets have one: {outcome}. Add its row to drivers (quantity 0 if it uses none)")
                : Invariant($"line {key.Line}: {who} has no row for driver '{key.Driver}' in {Names(list, seen: true)}, and takes other services there: {outcome}. Add its row to drivers (quantity 0 if it uses none)");
            warnings.Add(new ModelWarning(key.File, message)
            {
                Money = new MoneyWarning(MoneyWarning.MissingDriverRow, Periods(list), key.IsTenant ? key.Target : null)
                {
                    Arguments = new()
                    {
                        Source = key.Source,
                        Target = key.Target,
                        TargetKind = key.IsTenant ? "tenant" : "object",
                        Driver = key.Driver,
                        Listed = key.Listed,
                        File = key.File,
                        Line = key.Line,
                    },
                },
            });
        }

        if (ranked.Rest.Count > 0)
        {
            warnings.Add(new ModelWarning(Tables.Drivers.Name, Invariant(
                $"… and {ranked.More} more targets of driver rules without a driver row that receive nothing from the rule, in {Names(ranked.Rest, seen: false)}"))
            {
                Money = new MoneyWarning(MoneyWarning.MissingDriverRow, Periods(ranked.Rest), Summary: true) { Arguments = new() { More = ranked.More } },
            });
        }
    }

    /// <summary>One fiscal year and scenario of a warning (<c>amount</c> NULL where there is none).</summary>
    private sealed record Period(int FiscalYear, string Scenario, long? Amount, long Lines, int? SeenYear, string? SeenScenario);

    private sealed record Ranked<TKey>(List<(TKey Key, List<Period> Periods)> Shown, long More, List<Period> Rest);

    /// <summary>
    /// Ranks warnings. <paramref name="periods"/> gives one row per warning and fiscal year and scenario: the
    /// <paramref name="keys"/> of the warning and <c>fiscal_year, scenario, amount, lines, seen_year,
    /// seen_scenario</c>, and any more columns <paramref name="keySelect"/> needs; it is kept as <c>money_periods</c>.
    /// <paramref name="keySelect"/> gives one row per warning from <c>money_periods</c>: the keys, then what
    /// <paramref name="key"/> reads. The warnings are ranked by the largest absolute amount of any of their
    /// periods, then by <paramref name="order"/>; the first <see cref="ShownPerKind"/> come back with their
    /// periods, the rest as a count and sums per fiscal year and scenario.
    /// </summary>
    private static Ranked<TKey> Rank<TKey>(
        DuckDBConnection connection, string periods, string keys, string keySelect, string order, Func<DuckDBDataReader, TKey> key)
    {
        connection.Execute($"CREATE OR REPLACE TEMP TABLE money_periods AS {periods}");
        connection.Execute($"""
            CREATE OR REPLACE TEMP TABLE money_keys AS
            SELECT k.*, row_number() OVER (ORDER BY m.largest DESC, {order}) AS rank
            FROM ({keySelect}) k
            JOIN (SELECT {keys}, max(abs(coalesce(amount, 0))) AS largest FROM money_periods GROUP BY ALL) m USING ({keys})
            """);
        var shown = connection.Query(Invariant($"SELECT * EXCLUDE (rank) FROM money_keys WHERE rank <= {ShownPerKind} ORDER BY rank"), key);
        var rows = connection.Query(
            Invariant($"""
                SELECT k.rank, p.fiscal_year, p.scenario, p.amount, p.lines, p.seen_year, p.seen_scenario
                FROM money_periods p JOIN money_keys k USING ({keys})
                WHERE k.rank <= {ShownPerKind} ORDER BY k.rank, p.fiscal_year, p.scenario
                """),
            r => (Rank: r.Int64(0), Period: ReadPeriod(r, 1)));
        var more = connection.Scalar<long>(Invariant($"SELECT count(*) FROM money_keys WHERE rank > {ShownPerKind}"));
        var rest = connection.Query(
            Invariant($"""
                SELECT p.fiscal_year, p.scenario, CAST(sum(p.amount) AS BIGINT), CAST(sum(p.lines) AS BIGINT), NULL::INTEGER, NULL::VARCHAR
                FROM money_periods p JOIN money_keys k USING ({keys})
                WHERE k.rank > {ShownPerKind} GROUP BY ALL ORDER BY 1, 2
                """),
            r => ReadPeriod(r, 0));
        return new Ranked<TKey>([.. shown.Select((k, i) => (k, rows.Where(r => r.Rank == i + 1).Select(r => r.Period).ToList()))], more, rest);
    }

    private static Period ReadPeriod(DuckDBDataReader r, int at) => new(
        r.GetInt32(at), r.GetString(at + 1), r.IsDBNull(at + 2) ? null : r.Int64(at + 2), r.Int64(at + 3),
        r.IsDBNull(at + 4) ? null : r.GetInt32(at + 4), r.NullableString(at + 5));

    private static List<MoneyPeriod> Periods(List<Period> periods) =>
        [.. periods.Select(p => new MoneyPeriod(p.FiscalYear, p.Scenario, p.Amount) { SeenFiscalYear = p.SeenYear, SeenScenario = p.SeenScenario })];

    /// <summary><c>980 000.00 kr on 1 line in 2025 actual</c>, or per fiscal year and scenario: <c>2025 actual 1.00 kr (1 line), 2025 budget …</c>.</summary>
    private static string Amounts(List<Period> periods)
    {
        if (periods.Count == 1)
        {
            var p = periods[0];
            return Invariant($"{Sek(p.Amount ?? 0)} on {Lines(p.Lines)} in {p.FiscalYear} {p.Scenario}");
        }

        return Listed(periods.Select(p => Invariant($"{p.FiscalYear} {p.Scenario} {Sek(p.Amount ?? 0)} ({Lines(p.Lines)})")));
    }

    /// <summary><c>2025 actual, 2025 budget</c>; with <paramref name="seen"/>, each followed by where the target has a row: <c>2025 budget (it has one in 2025 actual)</c>.</summary>
    private static string Names(List<Period> periods, bool seen) =>
        Listed(periods.Select(p => seen && p.SeenYear is { } year
            ? Invariant($"{p.FiscalYear} {p.Scenario} (it has one in {year} {p.SeenScenario})")
            : Invariant($"{p.FiscalYear} {p.Scenario}")));

    private static string Listed(IEnumerable<string> items)
    {
        var list = items.ToList();
        var text = string.Join(", ", list.Take(PeriodsNamed));
        return list.Count > PeriodsNamed ? Invariant($"{text} and {list.Count - PeriodsNamed} more") : text;
    }

    private static string Sek(long ore) => Money.FormatGrouped(ore) + " kr";

    private static string Lines(long lines) => lines == 1 ? "1 line" : Invariant($"{lines} lines");

    private static string Projects(List<string> named, long count)
    {
        if (count == 1)
        {
            return named[0].Length == 0 ? "no project" : $"project '{named[0]}'";
        }

        var list = string.Join(", ", named.Select(p => p.Length == 0 ? "none" : $"'{p}'"));
        return count > named.Count ? Invariant($"projects {list} and {count - named.Count} more") : $"projects {list}";
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
