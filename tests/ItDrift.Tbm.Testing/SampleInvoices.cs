using ItDrift.Tbm.Billing;

namespace ItDrift.Tbm.Tests.Support;

/// <summary>
/// Three hand-built invoices of 2026, with the figures worked by hand (öre), for the UBL writer and the invoice workbook.
/// </summary>
/// <remarks>
/// <para>Försäkringskassan (202100-5521) invoices Agency A (T-A, 202100-5448, reference FAKTREF-17) half-yearly and
/// Agency B (T-B, 202100-4284, no reference, no endpoint: derived from its organisation number).</para>
/// <para>2026-0001, T-A, January: preliminary INF-VM 1 234 567,89 + preliminary FUN-SUP 0,05 + instalment INF-VM
/// 1 000,00 = 1 235 567,94 kr (123 556 794 öre).</para>
/// <para>2026-0002, T-A, July: preliminary INF-VM 1 234 567,88 + preliminary FUN-SUP 0,04 + true-up 2025 INF-VM
/// −250 000,50 + true-up 2025 FUN-SUP 0,01 = 984 567,43 kr (98 456 743 öre).</para>
/// <para>2026-0003, T-B, July: preliminary FUN-SUP 100,00 + true-up 2025 INF-VM −1 500,00 = −1 400,00 kr: a credit.</para>
/// <para>T-A's year: 1 235 567,94 + 984 567,43 = 2 220 135,37 kr; by kind preliminary 2 469 135,86, true-up
/// −250 000,49, instalment 1 000,00 (together 2 220 135,37).</para>
/// </remarks>
internal static class SampleInvoices
{
    public static readonly InvoiceParty Seller = new("FK", "Försäkringskassan", "202100-5521", null, "0007:2021005521");

    public static readonly InvoiceParty AgencyA = new("T-A", "Agency A", "202100-5448", "FAKTREF-17", "0007:2021005448");

    public static readonly InvoiceParty AgencyB = new("T-B", "Agency B", "202100-4284", null, null);

    public static Invoice First() => new(
        "2026-0001", Seller, AgencyA, new DateOnly(2026, 1, 15), new DateOnly(2026, 2, 14), "SEK",
        [
            new InvoiceLine("T-A", 2026, 1, "INF-VM", InvoiceLineKind.Preliminary, 123_456_789),
            new InvoiceLine("T-A", 2026, 1, "FUN-SUP", InvoiceLineKind.Preliminary, 5),
            new InvoiceLine("T-A", 2026, 1, "INF-VM", InvoiceLineKind.Instalment, 100_000),
        ]);

    public static Invoice Second() => new(
        "2026-0002", Seller, AgencyA, new DateOnly(2026, 7, 15), new DateOnly(2026, 8, 14), "SEK",
        [
            new InvoiceLine("T-A", 2026, 7, "INF-VM", InvoiceLineKind.Preliminary, 123_456_788),
            new InvoiceLine("T-A", 2026, 7, "FUN-SUP", InvoiceLineKind.Preliminary, 4),
            new InvoiceLine("T-A", 2025, 7, "INF-VM", InvoiceLineKind.TrueUp, -25_000_050),
            new InvoiceLine("T-A", 2025, 7, "FUN-SUP", InvoiceLineKind.TrueUp, 1),
        ]);

    public static Invoice Credit() => new(
        "2026-0003", Seller, AgencyB, new DateOnly(2026, 7, 15), new DateOnly(2026, 8, 14), "SEK",
        [
            new InvoiceLine("T-B", 2026, 7, "FUN-SUP", InvoiceLineKind.Preliminary, 10_000),
            new InvoiceLine("T-B", 2025, 7, "INF-VM", InvoiceLineKind.TrueUp, -150_000),
        ]);

    public static IReadOnlyList<Invoice> All() => [First(), Second(), Credit()];
}
