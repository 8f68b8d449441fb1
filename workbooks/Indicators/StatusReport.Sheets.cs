using System.Globalization;
using ClosedXML.Excel;

namespace ItDrift.Tbm.Indicators;

public static partial class StatusReport
{
    /// <summary>The sheets of one report, over one combined view.</summary>
    private sealed class Report
    {
        private const string All = KpiSql.Combined;
        private readonly CombinedView _view;
        private readonly StatusReportOptions _options;
        private readonly int _year;
        private readonly string? _tenant;
        private readonly Dictionary<(string Group, int Year, string Scope, string Subject), Dictionary<string, ViewValue>> _values = [];
        private readonly Dictionary<(string Scope, string Subject), ViewSubject> _subjects;

        public Report(CombinedView view, StatusReportOptions options)
        {
            _view = view;
            _options = options;
            _year = options.FiscalYear;
            _tenant = options.Tenant;
            foreach (var v in view.Values)
            {
                var key = (v.Group, v.FiscalYear, v.Scope, v.Subject);
                if (!_values.TryGetValue(key, out var map))
                {
                    _values[key] = map = new Dictionary<string, ViewValue>(StringComparer.Ordinal);
                }

                map[v.Indicator] = v;
            }

            _subjects = view.Subjects.GroupBy(s => (s.Scope, s.Subject)).ToDictionary(g => g.Key, g => g.First());
        }

        public string Title => string.Create(CultureInfo.InvariantCulture, $"Uppföljning av samordnad statlig it-drift {_year}")
            + (_tenant is null ? "" : " – " + Name("tenant", _tenant));

        /// <summary>The groups with figures in the year: all suppliers together first, then each supplier.</summary>
        private IEnumerable<string> Groups(int? year = null) => _view.Values.Where(v => v.FiscalYear == (year ?? _year)).Select(v => v.Group).Distinct()
            .OrderBy(g => g == All ? 0 : 1).ThenBy(g => g, StringComparer.Ordinal);

        private decimal? V(string group, string scope, string subject, string indicator, int? year = null) =>
            _values.TryGetValue((group, year ?? _year, scope, subject), out var map) && map.TryGetValue(indicator, out var v) ? v.Value : null;

        private string? Version(string group, string scope, string subject) =>
            _values.TryGetValue((group, _year, scope, subject), out var map) ? map.Values.Select(v => v.BaselineVersion).FirstOrDefault(v => v is not null) : null;

        private string Runs(string group, string scope, string subject, int? year = null) =>
            _values.TryGetValue((group, year ?? _year, scope, subject), out var map)
                ? string.Join(";", map.Values.SelectMany(v => v.Runs.Split(';', StringSplitOptions.RemoveEmptyEntries)).Distinct().Order(StringComparer.Ordinal))
                : "";

        private IEnumerable<string> Subjects(string group, string scope, int? year = null) => _values.Keys
            .Where(k => k.Group == group && k.Year == (year ?? _year) && k.Scope == scope).Select(k => k.Subject).Order(StringComparer.Ordinal);

        private string GroupName(string group) => group == All ? "Alla leverantörer" : Name("supplier", group);

        private string Name(string scope, string subject) => _subjects.TryGetValue((scope, subject), out var s) ? s.Name : subject;

        private string LineName(string line) => line == KpiSql.OtherLine
            ? "Övriga tjänster (ingår inte i nolläget)"
            : _subjects.TryGetValue(("service", line), out var s) ? s.Name : "Tjänsteområde " + line;

        /// <summary>How many tenants a group's or a service's figures cover (0 when the view has none).</summary>
        private long Tenants(string group, string scope, string subject, int year) =>
            (long)(V(group, scope, subject, scope == "service" ? "service.tenants" : "supplier.tenants", year) ?? 0);

        /// <summary>
        /// In a tenant's edition, whether a service's figures in a group may be shown (<see cref="Access.Disclosure"/>): a
        /// supplier's service over its tenants; all suppliers' service over the suppliers' (whose hidden rest must be safe).
        /// </summary>
        private bool ServiceShown(string group, string service, int? year = null)
        {
            var y = year ?? _year;
            if (_tenant is null)
            {
                return true;
            }

            if (!Access.Disclosure.MayShowAggregate(Tenants(group, "service", service, y)))
            {
                return false;
            }

            return group != All || Access.Disclosure.MayShowRest(Groups(y).Where(g => g != All && !ServiceShown(g, service, y)).Select(g => Tenants(g, "service", service, y)));
        }

        /// <summary>
        /// In a tenant's edition, whether a group's (a supplier's, or all suppliers') totals may be shown: over enough
        /// tenants, and the hidden rest of every way they split (by service; for all suppliers, also by supplier) safe.
        /// </summary>
        private bool GroupShown(string group, int? year = null)
        {
            var y = year ?? _year;
            if (_tenant is null)
            {
                return true;
            }

            if (!Access.Disclosure.MayShowAggregate(Tenants(group, "supplier", group, y))
                || !Access.Disclosure.MayShowRest(Subjects(group, "service", y).Where(s => !ServiceShown(group, s, y)).Select(s => Tenants(group, "service", s, y))))
            {
                return false;
            }

            return group != All || Access.Disclosure.MayShowRest(Groups(y).Where(g => g != All && !GroupShown(g, y)).Select(g => Tenants(g, "supplier", g, y)));
        }

        /// <summary>
        /// In a tenant's edition, a change against the previous year is left out unless that year's figures were
        /// shown too: the change and this year's figure give last year's.
        /// </summary>
        private bool ChangeHidden(string group, string service, string indicator) =>
            _tenant is not null && indicator.Contains("_change", StringComparison.Ordinal)
            && !(V(group, "service", service, "service.tenants", _year - 1) is not null && ServiceShown(group, service, _year - 1));

        public void Summary(IXLWorksheet sheet)
        {
            var row = ReportSheet.Title(sheet, 1, Title, 16);
            row = ReportSheet.Line(sheet, row, _tenant is null
                ? "Statusrapport: nyckeltal, nollägen och datakvalitet för samtliga leverantörer (samordnarens och ESV:s utgåva)."
                : "Er myndighets utgåva: era egna nyckeltal och förändringen mot ert nolläge; om andra myndigheter endast sammanställningar över minst tre myndigheter.");
            row = ReportSheet.Line(sheet, row, $"Räkenskapsår {_year.ToString(CultureInfo.InvariantCulture)}, {ScenarioSv(_options.Scenario)}. Skapad {_options.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} (UTC).");
            row = ReportSheet.Line(sheet, row, "Varje tal anger i kolumnen Körning de körningar det kommer från; en körning finns i körningsarkivet under <leverantör>/<körning>.");
            row++;

            row = ReportSheet.Title(sheet, row, _tenant is null ? "Nyckeltal i sammandrag, alla leverantörer" : "Era nyckeltal, alla leverantörer", 12);
            string[] indicators = _tenant is null
                ? ["supplier.cost", "supplier.allocated", "supplier.unallocated_share", "supplier.unmapped_share", "supplier.tenants", "supplier.services", "quality.tenants_without_baseline", "quality.keys_missing_volumes"]
                : ["tenant.fee", "tenant.fee_per_employee", "tenant.fee_per_user", "tenant.fee_per_workstation", "tenant.baseline_cost", "tenant.baseline_change", "tenant.baseline_change_pct",
                   "tenant.volume_effect", "tenant.unit_cost_effect", "tenant.unsplit_change", "tenant.baseline_year"];
            var scope = _tenant is null ? "supplier" : "tenant";
            var subject = _tenant ?? All;
            row = ReportSheet.Table(sheet, row,
                [new("Nyckeltal", Shown.Text, 44), new("Värde", Shown.Money, 20), new("Enhet", Shown.Text, 16), new("Nollägesversion", Shown.Text, 18), new("Körning", Shown.Text, 40)],
                indicators.Select(i => (Indicator: i, Scope: i.StartsWith("quality.", StringComparison.Ordinal) ? "quality" : scope))
                    .Where(i => V(All, i.Scope, subject, i.Indicator) is not null)
                    .Select(i => new object?[]
                    {
                        NameSv(i.Indicator), Typed(i.Indicator, V(All, i.Scope, subject, i.Indicator)), UnitSv(IndicatorCatalogue.Find(i.Indicator)!.Unit),
                        _tenant is null ? null : Version(All, "tenant", subject), Runs(All, i.Scope, subject),
                    }));

            row = ReportSheet.Title(sheet, row, "Körningar som rapporten bygger på", 12);
            row = ReportSheet.Table(sheet, row,
                [new("Leverantör", Shown.Text, 44), new("Namn", Shown.Text, 20), new("År", Shown.Text, 16), new("Körning", Shown.Text, 18), new("Publicerad (UTC)", Shown.Text, 40), new("Med nyckeltal", Shown.Text, 14)],
                _view.Sources.Select(s => new object?[] { s.Supplier, s.SupplierName, s.FiscalYear, s.RunId, s.PublishedAt, s.HasIndicators ? "ja" : "nej" }));

            if (_view.Notes.Count > 0)
            {
                row = ReportSheet.Title(sheet, row, "Anmärkningar", 12);
                foreach (var note in _view.NotesSv.Count == _view.Notes.Count ? _view.NotesSv : _view.Notes)
                {
                    row = ReportSheet.Line(sheet, row, note);
                }
            }
        }

        public void Suppliers(IXLWorksheet sheet)
        {
            var row = ReportSheet.Title(sheet, 1, "Nyckeltal per leverantör");
            if (_tenant is not null)
            {
                row = ReportSheet.Line(sheet, row, "Leverantörer med färre än tre kunder visas inte i denna utgåva.");
            }

            string[] indicators = ["supplier.cost", "supplier.allocated", "supplier.unallocated", "supplier.unallocated_share", "supplier.unmapped", "supplier.unmapped_share", "supplier.tenants", "supplier.services"];
            var columns = new List<ReportColumn> { new("Leverantör", Shown.Text, 22), new("Namn", Shown.Text, 30) };
            columns.AddRange(indicators.Select(i => new ReportColumn(NameSv(i), ShownFor(i), 16)));
            columns.Add(new("Nycklar med saknade volymer", Shown.Count, 14));
            columns.Add(new("Kunder utan nolläge", Shown.Count, 14));
            columns.Add(new("Körning", Shown.Text, 36));
            ReportSheet.Table(sheet, row, columns,
                Groups().Where(g => GroupShown(g)).Select(g => new object?[] { g == All ? "Alla" : g, GroupName(g) }
                    .Concat(indicators.Select(i => (object?)V(g, "supplier", g, i)))
                    .Append(V(g, "quality", g, "quality.keys_missing_volumes")).Append(V(g, "quality", g, "quality.tenants_without_baseline"))
                    .Append(Runs(g, "supplier", g)).ToArray()),
                repeatHeading: true);
        }

        public void Services(IXLWorksheet sheet)
        {
            var row = ReportSheet.Title(sheet, 1, "Nyckeltal per tjänst");
            row = ReportSheet.Line(sheet, row, "Kostnad per enhet = kostnaden för de leverantörer som prissätter tjänsten med en nyckel ÷ volymen, avrundad till öre. Förändringar mot föregående år, samma scenario.");
            if (_tenant is not null)
            {
                row = ReportSheet.Line(sheet, row, "Tjänster med färre än tre anslutna kunder visas inte i denna utgåva.");
            }

            string[] indicators = ["service.units", "service.cost", "service.unit_cost", "service.unit_cost_change", "service.unit_cost_change_pct", "service.cost_change", "service.cost_change_pct", "service.tenants", "service.tenant_share"];
            var columns = new List<ReportColumn> { new("Leverantör", Shown.Text, 14), new("Tjänst", Shown.Text, 12), new("Namn", Shown.Text, 30), new("Enhet", Shown.Text, 14) };
            columns.AddRange(indicators.Select(i => new ReportColumn(NameSv(i), ShownFor(i), 15)));
            columns.Add(new("Körning", Shown.Text, 36));
            row = ReportSheet.Table(sheet, row, columns,
                Groups().SelectMany(g => Subjects(g, "service").Select(s => (Group: g, Service: s)))
                    .Where(x => ServiceShown(x.Group, x.Service))
                    .Select(x => new object?[] { x.Group == All ? "Alla" : x.Group, x.Service, Name("service", x.Service), UnitSv(_subjects.GetValueOrDefault(("service", x.Service))?.Unit) }
                        .Concat(indicators.Select(i => ChangeHidden(x.Group, x.Service, i) ? null : (object?)V(x.Group, "service", x.Service, i)))
                        .Append(Runs(x.Group, "service", x.Service)).ToArray()),
                repeatHeading: true);

            // A type's cost is a sum of fees over its tenants, which this report does not count per type: the full edition only.
            if (_tenant is null)
            {
                var types = ReportSheet.Title(sheet, row, "Kostnad per TBM-tjänstetyp", 12);
                ReportSheet.Table(sheet, types,
                    [new("Leverantör", Shown.Text, 14), new("TBM-tjänstetyp", Shown.Text, 12), new(NameSv("service_type.cost"), Shown.Money, 15), new("Körning", Shown.Text, 36)],
                    Groups().SelectMany(g => Subjects(g, "service_type").Select(t => new object?[]
                    {
                        g == All ? "Alla" : g, t, V(g, "service_type", t, "service_type.cost"), Runs(g, "service_type", t),
                    })));
            }
        }

        public void Tenants(IXLWorksheet sheet)
        {
            var row = ReportSheet.Title(sheet, 1, _tenant is null ? "Nyckeltal per kund" : "Era nyckeltal");
            row = ReportSheet.Line(sheet, row, "Alla leverantörer: en kund som köper av flera leverantörer finns med en gång, med sin totala avgift. Därefter per leverantör.");
            string[] indicators =
            [
                "tenant.fee", "tenant.employees", "tenant.fee_per_employee", "tenant.users", "tenant.fee_per_user", "tenant.workstations", "tenant.fee_per_workstation",
                "tenant.baseline_year", "tenant.baseline_age", "tenant.baseline_cost", "tenant.baseline_change", "tenant.baseline_change_pct",
                "tenant.volume_effect", "tenant.unit_cost_effect", "tenant.unsplit_change",
            ];
            var columns = new List<ReportColumn> { new("Leverantör", Shown.Text, 14), new("Kund", Shown.Text, 14), new("Namn", Shown.Text, 30) };
            columns.AddRange(indicators.Select(i => new ReportColumn(NameSv(i), i is "tenant.baseline_year" ? Shown.Text : ShownFor(i), 14)));
            columns.Add(new("Nollägesversion", Shown.Text, 16));
            columns.Add(new("Körning", Shown.Text, 36));
            ReportSheet.Table(sheet, row, columns,
                Groups().SelectMany(g => Subjects(g, "tenant").Where(t => _tenant is null || t == _tenant).Select(t => (Group: g, Tenant: t)))
                    .Select(x => new object?[] { x.Group == All ? "Alla" : x.Group, x.Tenant, Name("tenant", x.Tenant) }
                        .Concat(indicators.Select(i => i == "tenant.baseline_year" ? (object?)Whole(V(x.Group, "tenant", x.Tenant, i)) : V(x.Group, "tenant", x.Tenant, i)))
                        .Append(Version(x.Group, "tenant", x.Tenant)).Append(Runs(x.Group, "tenant", x.Tenant)).ToArray()),
                repeatHeading: true);
        }

        public void Baselines(IXLWorksheet sheet)
        {
            var row = ReportSheet.Title(sheet, 1, "Jämförelse med nolläget");
            row = ReportSheet.Line(sheet, row, "Per rad i nolläget (tjänst eller tjänsteområde): c0 = kostnad i egen regi, q0 = volym då; c1 = avgift nu, q1 = volym nu. Förändring = c1 − c0.");
            row = ReportSheet.Line(sheet, row, "Volymeffekt V = c0 × (q1 − q0) ÷ q0 (avrundad till öre); styckkostnadseffekt U = (c1 − c0) − V = q1 × (c1/q1 − c0/q0).");
            row = ReportSheet.Line(sheet, row, "Saknas volym på någon sida, skiljer sig enheterna åt, eller gäller raden ett tjänsteområde eller övriga tjänster, redovisas hela förändringen som ej uppdelad.");
            row = ReportSheet.Line(sheet, row, "Avgifter för tjänster som inte finns i nolläget samlas på raden Övriga tjänster. Nolläget är det senaste året i nollägesversionen som inte är senare än uppföljningsåret.");
            string[] indicators = ["baseline.cost", "baseline.quantity", "baseline.fee", "baseline.current_quantity", "baseline.change", "baseline.volume_effect", "baseline.unit_cost_effect", "baseline.unsplit_change"];
            var columns = new List<ReportColumn> { new("Leverantör", Shown.Text, 14), new("Kund", Shown.Text, 14), new("Rad", Shown.Text, 12), new("Namn", Shown.Text, 30) };
            columns.AddRange(indicators.Select(i => new ReportColumn(NameSv(i), ShownFor(i), 15)));
            columns.Add(new("Enhet i nolläget", Shown.Text, 14));
            columns.Add(new("Nollägesversion", Shown.Text, 16));
            columns.Add(new("Körning", Shown.Text, 36));
            ReportSheet.Table(sheet, row, columns,
                Groups().SelectMany(g => Subjects(g, "baseline").Where(s => _tenant is null || s.StartsWith(_tenant + "/", StringComparison.Ordinal)).Select(s => (Group: g, Subject: s)))
                    .Select(x =>
                    {
                        var slash = x.Subject.IndexOf('/', StringComparison.Ordinal);
                        var line = x.Subject[(slash + 1)..];
                        var unit = _values[(x.Group, _year, "baseline", x.Subject)].GetValueOrDefault("baseline.quantity")?.Unit;
                        return new object?[] { x.Group == All ? "Alla" : x.Group, x.Subject[..slash], line, LineName(line) }
                            .Concat(indicators.Select(i => (object?)V(x.Group, "baseline", x.Subject, i)))
                            .Append(UnitSv(unit)).Append(Version(x.Group, "baseline", x.Subject)).Append(Runs(x.Group, "baseline", x.Subject)).ToArray();
                    }),
                repeatHeading: true);
        }

        public void Distributions(IXLWorksheet sheet)
        {
            if (_tenant is not null)
            {
                TenantDistributions(sheet, _tenant);
                return;
            }

            var row = ReportSheet.Title(sheet, 1, "Fördelningar över myndigheter och leverantörer");
            row = ReportSheet.Line(sheet, row, "Minsta värde, kvartiler (linjär interpolation, som Excels KVARTIL.INK), median och största värde. Ingen myndighet namnges.");
            row = ReportSheet.Line(sheet, row, "En grupp med färre än tre medlemmar redovisas inte (endast antalet).");
            var columns = new List<ReportColumn>
            {
                new("Population", Shown.Text, 12), new("Grupp", Shown.Text, 22), new("Nyckeltal", Shown.Text, 30), new("Tjänst", Shown.Text, 12), new("Enhet", Shown.Text, 14),
                new("Antal", Shown.Count, 8), new("Min", Shown.Quantity, 14), new("Första kvartil", Shown.Quantity, 14), new("Median", Shown.Quantity, 14),
                new("Tredje kvartil", Shown.Quantity, 14), new("Max", Shown.Quantity, 14), new("Anmärkning", Shown.Text, 24),
            };
            columns.Add(new("Körning", Shown.Text, 36));
            ReportSheet.Table(sheet, row, columns,
                _view.Distributions.Where(d => d.FiscalYear == _year).OrderBy(d => d.Population == "tenants" ? 0 : 1).Select(d =>
                {
                    var values = new List<object?>
                    {
                        d.Population == "tenants" ? "Kunder" : "Leverantörer", d.Population == "tenants" ? GroupName(d.Group) : "–", NameSv(d.Indicator),
                        d.Subject.Length == 0 ? null : d.Subject, UnitSv(d.Unit), d.Members, d.Min, d.Q1, d.Median, d.Q3, d.Max,
                        d.Suppressed ? "Redovisas inte: färre än 3" : null,
                    };
                    values.Add(d.Population == "tenants" && d.Group != All ? Runs(d.Group, "supplier", d.Group) : Runs(All, "supplier", All));
                    return values.ToArray();
                }),
                repeatHeading: true);
        }

        /// <summary>
        /// A tenant's edition of the distributions: a minimum, maximum, median or quartile is one agency's value
        /// (or lies between two), so a tenant is shown, over the tenants of a group whose totals it may see, only
        /// how many they are, their mean, and its own value (<see cref="Access.Disclosure"/>).
        /// </summary>
        private void TenantDistributions(IXLWorksheet sheet, string tenant)
        {
            var row = ReportSheet.Title(sheet, 1, "Fördelningar över myndigheter");
            row = ReportSheet.Line(sheet, row, "Antal myndigheter och medelvärdet över dem, bredvid ert eget värde. Ingen myndighet namnges.");
            row = ReportSheet.Line(sheet, row, "Minsta och största värde, median och kvartiler visas inte i denna utgåva: vart och ett är en enskild myndighets värde eller ligger mellan två.");
            row = ReportSheet.Line(sheet, row, "Medelvärdet visas för en grupp med minst tre myndigheter vars summor får visas.");
            var columns = new List<ReportColumn>
            {
                new("Grupp", Shown.Text, 22), new("Nyckeltal", Shown.Text, 30), new("Enhet", Shown.Text, 14), new("Antal", Shown.Count, 8),
                new("Medelvärde", Shown.Quantity, 14), new("Ert värde", Shown.Quantity, 14), new("Anmärkning", Shown.Text, 24), new("Körning", Shown.Text, 36),
            };
            ReportSheet.Table(sheet, row, columns,
                _view.Distributions.Where(d => d.FiscalYear == _year && d.Population == "tenants").Select(d =>
                {
                    var members = Subjects(d.Group, "tenant").Select(t => V(d.Group, "tenant", t, d.Indicator)).OfType<decimal>().ToList();
                    var shown = members.Count == d.Members && d.Members >= Access.Disclosure.MinimumTenants && GroupShown(d.Group);
                    return new object?[]
                    {
                        GroupName(d.Group), NameSv(d.Indicator), UnitSv(d.Unit), d.Members,
                        shown ? decimal.Round(members.Sum() / members.Count, 6, MidpointRounding.AwayFromZero) : null,
                        V(d.Group, "tenant", tenant, d.Indicator),
                        shown ? null : "Medelvärdet visas inte",
                        d.Group != All ? Runs(d.Group, "supplier", d.Group) : Runs(All, "supplier", All),
                    };
                }),
                repeatHeading: true);
        }

        public void Quality(IXLWorksheet sheet)
        {
            var row = ReportSheet.Title(sheet, 1, "Datakvalitet");
            row = ReportSheet.Table(sheet, row,
            [
                new("Leverantör", Shown.Text, 22), new("Namn", Shown.Text, 30), new(NameSv("supplier.unallocated_share"), Shown.Percent, 14), new(NameSv("supplier.unmapped_share"), Shown.Percent, 14),
                new("Nycklar med saknade volymer", Shown.Count, 14), new("Kunder utan nolläge", Shown.Count, 14), new("Äldsta nolläge (år)", Shown.Count, 14), new("Körning", Shown.Text, 36),
                new(NameSv("quality.unclassified_share"), Shown.Percent, 14),
            ],
                Groups().Where(g => g != All).Select(g => new object?[]
                {
                    g, GroupName(g), V(g, "supplier", g, "supplier.unallocated_share"), V(g, "supplier", g, "supplier.unmapped_share"),
                    V(g, "quality", g, "quality.keys_missing_volumes"), V(g, "quality", g, "quality.tenants_without_baseline"),
                    _tenant is null ? Subjects(g, "tenant").Select(t => V(g, "tenant", t, "tenant.baseline_age")).Max() : null, Runs(g, "supplier", g),

                    // A sum of fees over tenants: in a tenant's edition it could be one or two tenants' fees (docs/disclosure.md).
                    _tenant is null ? V(g, "quality", g, "quality.unclassified_share") : null,
                }),
                repeatHeading: true);

            row = ReportSheet.Title(sheet, row, "Nycklar med saknade volymer", 12);
            row = ReportSheet.Table(sheet, row,
                [new("Leverantör", Shown.Text, 22), new("Nyckel", Shown.Text, 30), new(NameSv("key.missing_targets"), Shown.Count, 14), new(NameSv("key.no_volume"), Shown.Money, 14), new("Körning", Shown.Text, 36)],
                Groups().Where(g => g != All).SelectMany(g => Subjects(g, "key").Where(k => V(g, "key", k, "key.missing_volumes") > 0).Select(k => new object?[]
                {
                    g, k, V(g, "key", k, "key.missing_targets"), V(g, "key", k, "key.no_volume"), Runs(g, "key", k),
                })));

            if (_tenant is null)
            {
                row = ReportSheet.Title(sheet, row, "Kunder utan nolläge", 12);
                row = ReportSheet.Table(sheet, row,
                    [new("Leverantör", Shown.Text, 22), new("Kund", Shown.Text, 30), new("Namn", Shown.Text, 30), new("Körning", Shown.Text, 36)],
                    Groups().SelectMany(g => Subjects(g, "tenant").Where(t => V(g, "tenant", t, "tenant.baseline_cost") is null).Select(t => new object?[]
                    {
                        g == All ? "Alla" : g, t, Name("tenant", t), Runs(g, "tenant", t),
                    })));
            }

            if (_view.Notes.Count > 0)
            {
                row = ReportSheet.Title(sheet, row, "Anmärkningar", 12);
                foreach (var note in _view.NotesSv.Count == _view.Notes.Count ? _view.NotesSv : _view.Notes)
                {
                    row = ReportSheet.Line(sheet, row, note);
                }
            }
        }

        public void History(IXLWorksheet sheet)
        {
            var years = _view.Values.Select(v => v.FiscalYear).Distinct().Order().ToList();
            var row = ReportSheet.Title(sheet, 1, "Historik");
            string[] indicators = ["supplier.cost", "supplier.allocated", "supplier.unallocated_share", "supplier.tenants", "supplier.services"];
            var columns = new List<ReportColumn> { new("Leverantör", Shown.Text, 22), new("År", Shown.Text, 8) };
            columns.AddRange(indicators.Select(i => new ReportColumn(NameSv(i), ShownFor(i), 16)));
            columns.Add(new("Körning", Shown.Text, 36));
            row = ReportSheet.Table(sheet, row, columns,
                years.SelectMany(y => Groups(y).Where(g => GroupShown(g, y)).Select(g => (Year: y, Group: g)))
                    .OrderBy(x => x.Group == All ? 0 : 1).ThenBy(x => x.Group, StringComparer.Ordinal).ThenBy(x => x.Year)
                    .Select(x => new object?[] { x.Group == All ? "Alla" : x.Group, x.Year }
                        .Concat(indicators.Select(i => (object?)V(x.Group, "supplier", x.Group, i, x.Year)))
                        .Append(Runs(x.Group, "supplier", x.Group, x.Year)).ToArray()),
                repeatHeading: true);

            row = ReportSheet.Title(sheet, row, "Kostnad per enhet per tjänst och år, alla leverantörer", 12);
            var serviceColumns = new List<ReportColumn> { new("Tjänst", Shown.Text, 22), new("Namn", Shown.Text, 30) };
            serviceColumns.AddRange(years.Select(y => new ReportColumn(y.ToString(CultureInfo.InvariantCulture), Shown.Money, 14)));
            ReportSheet.Table(sheet, row, serviceColumns,
                years.SelectMany(y => Subjects(All, "service", y)).Distinct().Order(StringComparer.Ordinal)
                    .Where(s => years.Any(y => V(All, "service", s, "service.unit_cost", y) is not null && ServiceShown(All, s, y)))
                    .Select(s => new object?[] { s, Name("service", s) }
                        .Concat(years.Select(y => ServiceShown(All, s, y) ? (object?)V(All, "service", s, "service.unit_cost", y) : null)).ToArray()));
        }

        public void Definitions(IXLWorksheet sheet)
        {
            var row = ReportSheet.Title(sheet, 1, "Definitioner");
            row = ReportSheet.Line(sheet, row, "Belopp i kronor, exakta i öre; kvoter avrundas med halva från noll: belopp till öre, procent till två decimaler. Se docs/indicators.md.");
            ReportSheet.Table(sheet, row,
                [new("Id", Shown.Text, 30), new("Nyckeltal", Shown.Text, 34), new("Namn på engelska", Shown.Text, 30), new("Enhet", Shown.Text, 14), new("Definition", Shown.Text, 90)],
                IndicatorCatalogue.All.Select(i => new object?[] { i.Id, i.NameSv, i.NameEn, UnitSv(i.Unit), DefinitionsSv.GetValueOrDefault(i.Id, i.Definition) }),
                repeatHeading: true);
            sheet.Column(5).Style.Alignment.WrapText = true;
        }

        private static Shown ShownFor(string indicator) => IndicatorCatalogue.Find(indicator)?.Measure switch
        {
            Measure.Money => Shown.Money,
            Measure.Percent => Shown.Percent,
            Measure.Count or Measure.Year => Shown.Count,
            _ => Shown.Quantity,
        };

        private static object? Whole(decimal? value) => value is { } v ? (int)v : null;

        /// <summary>
        /// A value for a column that holds several indicators: counts and years as whole numbers (<c>36 st</c>, not
        /// <c>36,00 st</c>), money and percentages as they are.
        /// </summary>
        private static object? Typed(string indicator, decimal? value) =>
            value is { } v && IndicatorCatalogue.Find(indicator)?.Measure is Measure.Count or Measure.Year && decimal.Truncate(v) == v ? (object)(long)v : value;
    }
}
