using System.Globalization;
using System.Text;

namespace ItDrift.Tbm.Datasets;

/// <summary>Writes every table of a package except the ledger, in canonical CSV, rows in key order.</summary>
internal static class TableWriter
{
    public static void WriteModel(string directory, DemoPlan plan)
    {
        var json = string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "supplier": {"id": "{{DemoData.SupplierId}}", "name": "{{DemoData.SupplierName}}", "orgNr": "{{DemoData.SupplierOrgNr}}"},
              "name": "{{ModelName(plan)}}",
              "costAccounts": [[{{plan.Catalogue.From(4000)}}, {{plan.Catalogue.To(8999)}}]],
              "currency": "SEK",
              "taxonomy": "tbm-v4"
            }

            """);
        File.WriteAllText(Path.Combine(directory, "model.json"), json.ReplaceLineEndings("\n"), new UTF8Encoding(false));
    }

    public static string ModelName(DemoPlan plan) => string.Create(CultureInfo.InvariantCulture,
        $"{DemoData.SupplierName}, samordnad statlig it-drift (demo, seed {plan.Options.Seed})");

    public static void WriteCostPools(string directory, DemoPlan plan)
    {
        using var csv = new CsvOut(Path.Combine(directory, "cost_pools.csv"), "account_from", "account_to", "cost_pool");
        foreach (var (from, to, pool, _) in DemoData.CostPools)
        {
            csv.Integer(plan.Catalogue.From(from));
            csv.Integer(plan.Catalogue.To(to));
            csv.Text(pool);
            csv.EndRow();
        }
    }

    public static void WriteObjects(string directory, DemoPlan plan)
    {
        using var csv = new CsvOut(Path.Combine(directory, "objects.csv"), "object_id", "kind", "name", "service_type", "area", "unit", "catalogue_service");
        var rows = plan.Catalogue.Services.Select(s => (s.Id, Kind: "service", Name: s.NameSv, Type: s.ServiceType, Area: s.AreaEn, s.Unit, Catalogue: s.CatalogueService))
            .Concat(plan.Catalogue.Towers.Concat(plan.Catalogue.Others).Select(o => (o.Id, o.Kind, o.Name, Type: "", Area: "", Unit: "", Catalogue: "")))
            .OrderBy(r => r.Id, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            csv.Text(row.Id);
            csv.Text(row.Kind);
            csv.Text(row.Name);
            csv.Text(row.Type);
            csv.Text(row.Area);
            csv.Text(row.Unit);
            csv.Text(row.Catalogue);
            csv.EndRow();
        }
    }

    public static void WriteTenants(string directory, DemoPlan plan)
    {
        using var csv = new CsvOut(Path.Combine(directory, "tenants.csv"), "tenant_id", "name", "org_nr", "employees", "connected_from", "sector");
        foreach (var tenant in plan.Catalogue.Tenants.OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            csv.Text(tenant.Id);
            csv.Text(tenant.Name);
            csv.Text(tenant.OrgNr);
            csv.Integer(tenant.Employees);
            csv.Integer(plan.ConnectedYear(tenant));
            csv.Text(tenant.Sector);
            csv.EndRow();
        }
    }

    public static void WriteMapping(string directory, DemoPlan plan)
    {
        using var csv = new CsvOut(Path.Combine(directory, "mapping.csv"), "priority", "account_from", "account_to", "cost_center", "project", "object_id");
        foreach (var row in plan.Mapping.OrderBy(m => m.Priority))
        {
            csv.Integer(row.Priority);
            csv.Integer(row.AccountFrom);
            csv.Integer(row.AccountTo);
            csv.Text(row.CostCentre);
            csv.Text(row.Project);
            csv.Text(row.ObjectId);
            csv.EndRow();
        }
    }

    public static void WriteRules(string directory, DemoPlan plan)
    {
        using var csv = new CsvOut(Path.Combine(directory, "rules.csv"), "step", "source", "method", "driver", "targets");
        foreach (var rule in plan.Rules)
        {
            csv.Integer(rule.Step);
            csv.Text(rule.Source);
            csv.Text(rule.Method);
            csv.Text(rule.Driver);
            csv.Text(rule.Targets);
            csv.EndRow();
        }
    }

    public static void WriteDrivers(string directory, DemoPlan plan)
    {
        using var csv = new CsvOut(Path.Combine(directory, "drivers.csv"), "fiscal_year", "scenario", "driver", "target", "quantity");
        foreach (var row in plan.Drivers)
        {
            csv.Integer(row.FiscalYear);
            csv.Text(DemoPlan.Scenarios[row.Scenario]);
            csv.Text(row.Driver);
            csv.Text(row.Target);
            csv.Quantity(row.Micro);
            csv.EndRow();
        }
    }

    /// <summary>Preliminary fees per year, tenant and service; and, as booked revenue, their total per year.</summary>
    public static void WriteFees(string directory, DemoPlan plan)
    {
        var tenants = Enumerable.Range(0, plan.Catalogue.Tenants.Length).OrderBy(t => plan.Catalogue.Tenants[t].Id, StringComparer.Ordinal).ToList();
        var services = Enumerable.Range(0, plan.Catalogue.Services.Length).OrderBy(s => plan.Catalogue.Services[s].Id, StringComparer.Ordinal).ToList();
        using (var csv = new CsvOut(Path.Combine(directory, "invoiced.csv"), "fiscal_year", "tenant", "service", "amount"))
        {
            for (var y = 0; y < plan.Years; y++)
            {
                foreach (var t in tenants)
                {
                    foreach (var s in services)
                    {
                        if (plan.Invoiced[y][t][s] != 0)
                        {
                            csv.Integer(plan.FirstYear + y);
                            csv.Text(plan.Catalogue.Tenants[t].Id);
                            csv.Text(plan.Catalogue.Services[s].Id);
                            csv.Money(plan.Invoiced[y][t][s]);
                            csv.EndRow();
                        }
                    }
                }
            }
        }

        using (var csv = new CsvOut(Path.Combine(directory, "revenue.csv"), "fee_area", "fiscal_year", "revenue"))
        {
            for (var y = 0; y < plan.Years; y++)
            {
                csv.Text(DemoData.FeeArea);
                csv.Integer(plan.FirstYear + y);
                csv.Money(plan.InvoicedPerTenant[y].Sum());
                csv.EndRow();
            }
        }

        using (var csv = new CsvOut(Path.Combine(directory, "balances.csv"), "fee_area", "fiscal_year", "opening_balance"))
        {
            csv.Text(DemoData.FeeArea);
            csv.Integer(plan.FirstYear);
            csv.Money(DemoData.OpeningBalanceOre);
            csv.EndRow();
        }
    }
}
