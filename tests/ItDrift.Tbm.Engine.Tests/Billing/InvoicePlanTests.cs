using ItDrift.Tbm.Billing;

namespace ItDrift.Tbm.Tests.Billing;

/// <summary>The invoices of a year from fees, true-ups and instalment months, with hand-worked figures (docs/billing.md).</summary>
public sealed class InvoicePlanTests
{
    private static readonly InvoiceParty Seller = new("FK", "Försäkringskassan", "202100-5521", null, "0007:2021005521");

    private static TenantBillingPlan Plan(string id, string frequency, int first = 1) =>
        new(new InvoiceParty(id, "Agency " + id, "", null, null), frequency, first);

    [Theory]
    [InlineData("monthly", 1, new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 })]
    [InlineData("quarterly", 1, new[] { 1, 4, 7, 10 })]
    [InlineData("quarterly", 2, new[] { 2, 5, 8, 11 })]
    [InlineData("half-yearly", 1, new[] { 1, 7 })]
    [InlineData("half-yearly", 7, new[] { 7 })]
    [InlineData("annual", 1, new[] { 1 })]
    [InlineData("annual", 12, new[] { 12 })]
    public void Starts_FromTheFirstPeriod_EveryPeriodLengthUpToMonth12(string frequency, int first, int[] expected) =>
        Assert.Equal(expected, BillingPeriods.Starts(frequency, first));

    [Theory]
    [InlineData(100_001L, new[] { 3, 3, 3, 3 }, new[] { 25_001L, 25_000L, 25_000L, 25_000L })]
    [InlineData(-100_001L, new[] { 3, 3, 3, 3 }, new[] { -25_001L, -25_000L, -25_000L, -25_000L })]
    [InlineData(100_003L, new[] { 3, 3, 3, 3 }, new[] { 25_001L, 25_001L, 25_001L, 25_000L })]
    [InlineData(2L, new[] { 1, 1, 1 }, new[] { 1L, 1L, 0L })]
    // Quarterly from February: the last period covers November and December only (weights 3, 3, 3, 2).
    // 1 000.00 kr: 272.72 r 8, 272.72 r 8, 272.72 r 8, 181.81 r 9; three öre left: 181.82 (largest remainder), then the
    // first two quarters (a tie, to the earlier periods).
    [InlineData(100_000L, new[] { 3, 3, 3, 2 }, new[] { 27_273L, 27_273L, 27_272L, 18_182L })]
    public void Split_LargestRemainder_TiesToTheEarlierPeriod(long amount, int[] weights, long[] expected)
    {
        var parts = BillingPeriods.Split(amount, weights);

        Assert.Equal(expected, parts);
        Assert.Equal(amount, parts.Sum());
    }

    [Fact]
    public void Compute_QuarterlyFee_Of100001Ore_Is25001Then25000ThreeTimes()
    {
        var invoices = InvoicePlan.Compute(2026, Seller, [Plan("T-A", "quarterly")], 30, [new("T-A", "SVC", 100_001)], [], []);

        Assert.Equal(["2026010001", "2026040001", "2026070001", "2026100001"], invoices.Select(i => i.Number));
        Assert.Equal([25_001L, 25_000L, 25_000L, 25_000L], invoices.Select(i => i.Total));
        Assert.Equal([new DateOnly(2026, 1, 1), new DateOnly(2026, 4, 1), new DateOnly(2026, 7, 1), new DateOnly(2026, 10, 1)], invoices.Select(i => i.IssueDate));
        Assert.Equal(new DateOnly(2026, 1, 31), invoices[0].DueDate);
        Assert.All(invoices, i => Assert.Equal("SEK", i.Currency));
        Assert.Equal(new InvoiceLine("T-A", 2026, 4, "SVC", InvoiceLineKind.Preliminary, 25_000), invoices[1].Lines.Single());
    }

    [Fact]
    public void Compute_HalfYearlyFromJuly_BillsTheWholeYearsFeeOnOneInvoice_WithTheTrueUpAndInstalments()
    {
        // T-B: half-yearly from July: one period, 7–12. Fee 1 200.00 for SVC; last year's true-up −50.00 for SVC
        // and 20.00 for OTH; connection months 3 (100.01) and 8 (100.00): March precedes the first period and goes to it.
        var invoices = InvoicePlan.Compute(
            2026, Seller, [Plan("T-A", "quarterly"), Plan("T-B", "half-yearly", 7)], 30,
            [new("T-B", "SVC", 120_000)],
            [new("T-B", "SVC", -5_000), new("T-B", "OTH", 2_000)],
            [new("T-B", "CONN", 3, 10_001), new("T-B", "CONN", 8, 10_000)]);

        var invoice = Assert.Single(invoices);
        Assert.Equal("2026070002", invoice.Number); // T-B is the second tenant in ordinal order
        Assert.Equal(new DateOnly(2026, 7, 1), invoice.IssueDate);
        Assert.Equal(new DateOnly(2026, 7, 31), invoice.DueDate);
        Assert.Equal(
            [
                new InvoiceLine("T-B", 2026, 7, "SVC", InvoiceLineKind.Preliminary, 120_000),
                new InvoiceLine("T-B", 2025, 7, "OTH", InvoiceLineKind.TrueUp, 2_000),
                new InvoiceLine("T-B", 2025, 7, "SVC", InvoiceLineKind.TrueUp, -5_000),
                new InvoiceLine("T-B", 2026, 7, "CONN", InvoiceLineKind.Instalment, 20_001),
            ],
            invoice.Lines);
        Assert.Equal(137_001, invoice.Total);
    }

    [Fact]
    public void Compute_ZeroShares_AreNoLines_AndAPeriodWithoutLinesIsNoInvoice()
    {
        // 0.02 kr monthly: two öre to January and February, nothing to the ten other months.
        var invoices = InvoicePlan.Compute(2026, Seller, [Plan("T-A", "monthly")], 10, [new("T-A", "SVC", 2)], [], []);

        Assert.Equal(["2026010001", "2026020001"], invoices.Select(i => i.Number));
        Assert.All(invoices, i => Assert.Equal(1, i.Total));
    }

    [Fact]
    public void Compute_PreliminaryLinesOverTheYear_SumExactlyToEachFee_ForEveryFrequencyAndFirstPeriod()
    {
        var random = new Random(19);
        foreach (var frequency in BillingPeriods.Frequencies)
        {
            for (var first = 1; first <= 12; first++)
            {
                var fees = Enumerable.Range(0, 20).Select(i => new ServiceAmount("T-A", "S" + i, random.NextInt64(-10_000_000, 10_000_000))).ToList();

                var invoices = InvoicePlan.Compute(2026, Seller, [Plan("T-A", frequency, first)], 30, fees, [], []);

                foreach (var fee in fees)
                {
                    var lines = invoices.SelectMany(i => i.Lines).Where(l => l.Service == fee.Service).ToList();
                    Assert.Equal(fee.Amount, lines.Sum(l => l.Amount));
                }

                Assert.Equal(invoices.Count, invoices.Select(i => i.Number).Distinct().Count());
            }
        }
    }

    [Theory]
    [InlineData("202100-5521", "0007:2021005521")]
    [InlineData("2021005521", "0007:2021005521")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void EndpointOf_IsScheme0007AndTheTenDigits(string? orgNr, string? expected) =>
        Assert.Equal(expected, InvoicePlan.EndpointOf(orgNr));
}
