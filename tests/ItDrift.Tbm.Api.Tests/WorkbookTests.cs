using System.Globalization;
using System.Net;
using ItDrift.Tbm.Runs;
using ItDrift.Tbm.Tests.Support;
using ItDrift.Tbm.Workbooks;

namespace ItDrift.Tbm.Tests;

/// <summary>
/// The workbooks, read back with an independent reader (<see cref="Xlsx"/>): their numbers are the
/// run's tables, their totals are formulas whose stored results and independent evaluation agree,
/// and they carry Swedish headings, formats, frozen headings and a print setup.
/// </summary>
[Collection("api")]
public sealed class WorkbookTests(ApiFixture api)
{
    private string Run => $"/v1/runs/{api.Store.FkRun}";

    [Fact]
    public async Task FeeSpecification_TotalsEqualFeesCsv_AsFormulas()
    {
        var book = await Download("tenant T-A", $"{Run}/tenants/T-A/fees/export.xlsx?fiscalYear=2025");
        var fees = Csv("fees").Where(f => f[0] == "2025" && f[1] == "actual" && f[2] == "T-A").ToList();
        var byModel = Csv("fees_by_model").Where(f => f[0] == "2025" && f[2] == "T-A").ToDictionary(f => f[3], f => f);
        Assert.Equal(["Sammanfattning", "Applikationstjänster", "Funktionstjänster", "Infrastrukturtjänster"], book.SheetNames);

        var summary = book["Sammanfattning"];
        Assert.Equal("Myndighet A", Right(summary, "Kund").Value);
        Assert.Equal("202100-5448", Right(summary, "Organisationsnummer").Value);
        Assert.Equal(2025m, Right(summary, "Avgiftsår").Number);
        Assert.Equal(api.Store.FkRun, Right(summary, "Körning").Value);
        Assert.StartsWith("Försäkringskassan (202100-5521)", Right(summary, "Leverantör").Value, StringComparison.Ordinal);
        Assert.Equal("Utfall", Right(summary, "Underlag (scenario)").Value);
        var total = Right(summary, "Summa avgifter", 2);
        Assert.StartsWith("SUM(", total.Formula, StringComparison.Ordinal);
        Assert.Equal(fees.Sum(f => Dec(f[5])), total.Number);
        Assert.Equal(total.Number, summary.Evaluate(total.Address));

        foreach (var (name, services) in new[] { ("Infrastrukturtjänster", new[] { "INF-VM" }), ("Funktionstjänster", ["FUN-SUP"]), ("Applikationstjänster", ["APP-X"]) })
        {
            var sheet = book[name];
            Assert.Equal(3, sheet.FrozenRows);
            Assert.Equal("landscape", (string?)sheet.PageSetup?.Attribute("orientation"));
            Assert.Equal("1", (string?)sheet.PageSetup?.Attribute("fitToWidth") ?? "1");
            Assert.Equal("0", (string?)sheet.PageSetup?.Attribute("fitToHeight"));
            var headings = Enumerable.Range(1, 20).Select(c => sheet[Xlsx.Address(c, 3)]?.Value).ToList();
            Assert.Equal(["Tjänst", "Benämning", "Enhet", "Antal", "À-pris", "Avgift"], headings.Take(6));
            Assert.Contains("Summa kostnadspooler", headings);
            foreach (var service in services)
            {
                var row = Xlsx.Sheet.RowOf(sheet.Find(service)!.Address);
                var fee = sheet[$"F{row}"]!;
                Assert.Equal(Dec(byModel[service][6]), fee.Number);
                Assert.Contains("#,##0.00", fee.NumberFormat, StringComparison.Ordinal);
                Assert.Contains("kr", fee.NumberFormat, StringComparison.Ordinal);
                // Quantity × unit price beside the fee, and what separates them (the split's remainder, the price's rounding);
                // in this tenant's copy, not for a service with fewer than three tenants (its unit price shows as –).
                Assert.Equal(Dec(byModel[service][4] is { Length: > 0 } q ? q : "0"), sheet[$"D{row}"]?.Number ?? 0m);
                if (sheet[$"E{row}"]?.Value == "–")
                {
                    Assert.Null(sheet[$"G{row}"]);
                }
                else if (byModel[service][5].Length > 0)
                {
                    var product = sheet[$"G{row}"]!;
                    Assert.Equal($"ROUND(D{row}*E{row},2)", product.Formula);
                    Assert.Equal(product.Number, sheet.Evaluate(product.Address));
                    Assert.Equal(decimal.Round(Dec(byModel[service][4]) * Dec(byModel[service][5]), 2, MidpointRounding.AwayFromZero), product.Number);
                    Assert.Equal(fee.Number - product.Number, sheet.Evaluate($"H{row}"));
                }
                else
                {
                    Assert.Null(sheet[$"G{row}"]);
                }

                // Cost-pool headings are Swedish; the package's own names are in fees.csv.
                var swedish = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["Egen personal"] = "Internal Labor", ["Köpta tjänster"] = "Outside Services", ["Hårdvara"] = "Hardware", ["Programvara"] = "Software",
                    ["Lokaler och el"] = "Facilities & Power", ["Övrigt"] = "Other",
                };
                for (var column = 9; sheet[Xlsx.Address(column, 3)]?.Value is { } heading && heading != "Summa kostnadspooler"; column++)
                {
                    var pool = swedish[heading];
                    var expected = fees.Where(f => f[3] == service && f[4] == pool).Sum(f => Dec(f[5]));
                    Assert.Equal(expected, sheet.Evaluate(Xlsx.Address(column, row)));
                }

                var sum = sheet[Xlsx.Address(headings.IndexOf("Summa kostnadspooler") + 1, row)]!;
                Assert.Equal(fees.Where(f => f[3] == service).Sum(f => Dec(f[5])), sum.Number);
                Assert.Equal(sum.Number, sheet.Evaluate(sum.Address));
                Assert.Equal(0m, sheet[Xlsx.Address(headings.IndexOf("Differens avgift – kostnad") + 1, row)]!.Number);
            }

            var totals = sheet.Find("Summa")!;
            var totalFee = sheet[$"F{Xlsx.Sheet.RowOf(totals.Address)}"]!;
            Assert.Equal($"SUM(F4:F{Xlsx.Sheet.RowOf(totals.Address) - 1})", totalFee.Formula);
            Assert.Equal(totalFee.Number, sheet.Evaluate(totalFee.Address));
        }
    }

    [Fact]
    public async Task PriceList_IsPricesCsv_OfTheYearsBasis()
    {
        var book = await Download("supplier FK", $"{Run}/prices/export.xlsx?fiscalYear=2025");
        var sheet = book["Prislista"];
        var prices = Csv("prices").Where(f => f[0] == "2025" && f[1] == "actual").ToList();
        Assert.NotEmpty(prices);
        foreach (var price in prices)
        {
            var row = Xlsx.Sheet.RowOf(sheet.Find(price[2])!.Address);
            Assert.Equal(Dec(price[3]), sheet[$"E{row}"]!.Number);
            Assert.Equal(Dec(price[4]), sheet[$"F{row}"]!.Number);
            Assert.Equal(Dec(price[5]), sheet[$"G{row}"]!.Number);
        }

        var total = sheet[$"F{Xlsx.Sheet.RowOf(sheet.Find("Summa")!.Address)}"]!;
        Assert.Equal(prices.Sum(p => Dec(p[4])), total.Number);
        Assert.Equal(total.Number, sheet.Evaluate(total.Address));
        Assert.True(sheet.FrozenRows > 0);

        // A tenant's copy leaves out the cost and units of a service with fewer than three tenants.
        var forTenant = (await Download("tenant T-A", $"{Run}/prices/export.xlsx?fiscalYear=2025"))["Prislista"];
        var appRow = Xlsx.Sheet.RowOf(forTenant.Find("APP-X")!.Address);
        Assert.Null(forTenant[$"F{appRow}"]?.Value);
        Assert.Equal(Dec(prices.Single(p => p[2] == "APP-X")[5]), forTenant[$"G{appRow}"]!.Number);
    }

    [Fact]
    public async Task Balance_IsBalanceCsv_WithResultAndClosingAsFormulas()
    {
        var sheet = (await Download("esv", $"{Run}/balance/export.xlsx"))["Balans"];
        var heading = Xlsx.Sheet.RowOf(sheet.Find("Avgiftsområde")!.Address);
        var rows = Csv("balance");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = heading + 1 + i;
            Assert.Equal(rows[i][0], sheet[$"A{r}"]!.Value);
            Assert.Equal(Dec(rows[i][1]), sheet[$"B{r}"]!.Number);
            foreach (var (column, index) in new[] { ("C", 2), ("D", 3), ("E", 4), ("F", 5), ("G", 6) })
            {
                Assert.Equal(Dec(rows[i][index]), decimal.Round(sheet[$"{column}{r}"]!.Number, 2));
                Assert.Equal(Dec(rows[i][index]), sheet.Evaluate($"{column}{r}"));
            }

            Assert.Equal($"D{r}-E{r}", sheet[$"F{r}"]!.Formula);
            Assert.Equal(rows[i][7] == "true" ? "Ja" : "Nej", sheet[$"H{r}"]!.Value);
        }
    }

    [Fact]
    public async Task Balance_HasThePublishedLayout_YearsAcross()
    {
        var sheet = (await Download("esv", $"{Run}/balance/export.xlsx"))["Per år"];
        var rows = Csv("balance");
        var closing = Xlsx.Sheet.RowOf(sheet.Find("Utgående balans")!.Address);
        var header = Xlsx.Sheet.RowOf(sheet.Find(rows[0][0])!.Address);
        var area = rows.Where(r => r[0] == rows[0][0]).ToList();
        for (var i = 0; i < area.Count; i++)
        {
            var column = (char)('B' + i);
            Assert.Equal(area[i][1], sheet[$"{column}{header}"]!.Value);
            Assert.Equal(Dec(area[i][6]), decimal.Round(sheet[$"{column}{closing}"]!.Number, 2));
        }
    }

    [Fact]
    public async Task TrueUp_IsTrueupCsv_WithTheDifferenceAsFormula()
    {
        var sheet = (await Download("tenant T-A", $"{Run}/tenants/T-A/trueup/export.xlsx?fiscalYear=2025"))["Avräkning"];
        var rows = Csv("trueup").Where(f => f[0] == "2025" && f[1] == "T-A").ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var r = Xlsx.Sheet.RowOf(sheet.Find(row[2])!.Address);
            Assert.Equal(Dec(row[3]), sheet[$"C{r}"]!.Number);
            Assert.Equal(Dec(row[4]), sheet[$"D{r}"]!.Number);
            Assert.Equal(Dec(row[5]), sheet.Evaluate($"E{r}"));
            Assert.Equal(Dec(row[5]), decimal.Round(sheet[$"E{r}"]!.Number, 2));
        }

        var total = sheet[$"E{Xlsx.Sheet.RowOf(sheet.Find("Summa")!.Address)}"]!;
        Assert.Equal(rows.Sum(r => Dec(r[5])), decimal.Round(total.Number, 2));
    }

    [Fact]
    public async Task FeeTable_IsEveryRowOfFeesCsv_WithItsTotal()
    {
        var sheet = (await Download("supplier FK", $"{Run}/fees/export.xlsx"))["Avgifter"];
        var rows = Csv("fees");
        Assert.Equal(1, sheet.FrozenRows);
        Assert.Equal("Belopp", sheet["H1"]!.Value);
        for (var i = 0; i < rows.Count; i++)
        {
            var r = i + 2;
            Assert.Equal(Dec(rows[i][0]), sheet[$"A{r}"]!.Number);
            Assert.Equal(rows[i][2], sheet[$"C{r}"]!.Value);
            Assert.Equal(rows[i][3], sheet[$"E{r}"]!.Value);
            Assert.Equal(rows[i][4] switch { "Internal Labor" => "Egen personal", "Outside Services" => "Köpta tjänster", "Hardware" => "Hårdvara", "Software" => "Programvara", "Facilities & Power" => "Lokaler och el", "Other" => "Övrigt", var other => other }, sheet[$"G{r}"]!.Value);
            Assert.Equal(Dec(rows[i][5]), sheet[$"H{r}"]!.Number);
        }

        var total = sheet[$"H{rows.Count + 2}"]!;
        Assert.Equal($"SUM(H2:H{rows.Count + 1})", total.Formula);
        Assert.Equal(rows.Sum(f => Dec(f[5])), total.Number);
        Assert.Equal(total.Number, sheet.Evaluate(total.Address));
    }

    [Fact]
    public async Task FeeTable_BeyondARowLimit_ContinuesOnAnotherSheet()
    {
        using var stream = new MemoryStream();
        await FeeTableWorkbook.WriteAsync(RunFolder.Open(api.Store.FkFolder), stream, CancellationToken.None, rowsPerSheet: 10);
        var book = Xlsx.Read(stream.ToArray());
        var rows = Csv("fees");
        Assert.Equal((rows.Count + 9) / 10, book.SheetNames.Count);
        Assert.Equal(rows.Sum(f => Dec(f[5])), book.SheetNames.Sum(n => book[n].Cells.Values.Where(c => c.Formula?.StartsWith("SUM(", StringComparison.Ordinal) == true).Sum(c => c.Number)));
    }

    [Theory]
    [InlineData("sv-SE")]
    [InlineData("de-DE")]
    [InlineData("en-US")]
    public async Task Workbooks_AreTheSame_WhateverTheCulture(string culture)
    {
        var run = RunFolder.Open(api.Store.FkFolder);
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            using var stream = new MemoryStream();
            await WorkbookExport.WriteAsync(run, new WorkbookRequest(WorkbookKind.FeeSpecification, "T-B", 2025), stream);
            var summary = Xlsx.Read(stream.ToArray())["Sammanfattning"];
            var fees = Csv("fees").Where(f => f[0] == "2025" && f[1] == "actual" && f[2] == "T-B").Sum(f => Dec(f[5]));
            Assert.Equal(fees, Right(summary, "Summa avgifter", 2).Number);
            Assert.Equal("2025", Right(summary, "Avgiftsår").Value);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public async Task Workbook_ForAnUnknownYear_IsNotFound()
    {
        using var client = api.Client("tenant T-A");
        using var response = await client.GetAsync(new Uri($"{Run}/tenants/T-A/fees/export.xlsx?fiscalYear=1999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<Xlsx> Download(string caller, string url)
    {
        using var client = api.Client(caller);
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(WorkbookExport.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        return Xlsx.Read(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The cell <paramref name="offset"/> columns right of the cell holding <paramref name="label"/>.</summary>
    private static Xlsx.Cell Right(Xlsx.Sheet sheet, string label, int offset = 1)
    {
        var cell = sheet.Find(label) ?? throw new InvalidOperationException($"no '{label}' on {sheet.Name}");
        var column = Enumerable.Range(1, 30).First(c => Xlsx.ColumnLetters(c) == Xlsx.Sheet.ColumnOf(cell.Address));
        return sheet[Xlsx.Address(column + offset, Xlsx.Sheet.RowOf(cell.Address))] ?? throw new InvalidOperationException($"nothing right of '{label}'");
    }

    private List<string[]> Csv(string table) => [.. api.Store.FkCsv(table).Skip(1).Select(l => l.Split(','))];

    private static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
