namespace ItDrift.Tbm.Datasets;

/// <summary>What <see cref="DemoModelGenerator.Write"/> wrote.</summary>
/// <param name="Directory">The package folder (full path).</param>
/// <param name="LedgerLines">Lines in <c>ledger.csv</c>, header excluded.</param>
/// <param name="FiscalYears">Fiscal years covered.</param>
/// <param name="Tenants">Customer agencies in <c>tenants.csv</c>.</param>
/// <param name="Services">Services in <c>objects.csv</c> (the 20 of the catalogue).</param>
/// <param name="Towers">TBM towers in <c>objects.csv</c>.</param>
/// <param name="CostCentres">Distinct cost centres in the ledger.</param>
/// <param name="MappingRows">Rows of <c>mapping.csv</c>.</param>
/// <param name="Rules">Rows of <c>rules.csv</c>.</param>
/// <param name="DriverRows">Rows of <c>drivers.csv</c>.</param>
/// <param name="ActualCost">SEK on actual cost lines (accounts 4000–8999), all years.</param>
/// <param name="UnmappedCost">The part of <paramref name="ActualCost"/> no mapping row matches (it stays on UNMAPPED).</param>
/// <param name="Invoiced">SEK of preliminary fees in <c>invoiced.csv</c>, all years.</param>
/// <param name="LedgerTotal">The sum of the ledger's amount column (every scenario and account), in SEK.</param>
/// <param name="Bytes">Size of the package's files.</param>
public sealed record DemoModelSummary(
    string Directory,
    long LedgerLines,
    int FiscalYears,
    int Tenants,
    int Services,
    int Towers,
    int CostCentres,
    int MappingRows,
    int Rules,
    int DriverRows,
    decimal ActualCost,
    decimal UnmappedCost,
    decimal Invoiced,
    decimal LedgerTotal,
    long Bytes);
