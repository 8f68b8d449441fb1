namespace ItDrift.Tbm.Datasets;

/// <summary>What a ledger line pays for; each kind books to one account.</summary>
internal enum CostKind
{
    Salary,
    SocialFees,
    Pension,
    Training,
    OtherStaff,
    Travel,
    RentDataCentre,
    RentOffice,
    Power,
    Guarding,
    HardwareLease,
    HardwareMaintenance,
    HardwarePurchase,
    Licence,
    SoftwareSupport,
    Consulting,
    ManagementConsulting,
    ItServices,
    Cloud,
    Telephony,
    DataCommunication,
    InternalServices,
    OtherOperating,
    Financial,
    DepreciationSoftware,
    DepreciationHardware,
    DepreciationPremises,
    Transfer,
}

/// <summary>How a kind of cost is booked.</summary>
/// <param name="Account">Account in the style of Statens baskontoplan (ESV).</param>
/// <param name="Series">Voucher series.</param>
/// <param name="LinesPerMsek">Relative line frequency: ledger lines per million SEK a year.</param>
/// <param name="Season">Monthly weights, January first.</param>
/// <param name="SpreadLow">Smallest line relative to the average line, in ppm.</param>
/// <param name="SpreadHigh">Largest line relative to the average line, in ppm (at most 1.8 million).</param>
/// <param name="CreditPpm">Share of lines that are credits (credit notes, corrections).</param>
/// <param name="GrowthPpm">Yearly change of the cost.</param>
/// <param name="SharedVoucher">One voucher per period for all lines (a payroll run, a depreciation run).</param>
internal sealed record AccountDef(
    int Account,
    string Series,
    int LinesPerMsek,
    int[] Season,
    int SpreadLow,
    int SpreadHigh,
    int CreditPpm,
    int GrowthPpm,
    bool SharedVoucher = false);

/// <summary>One cost a cost centre books every year: kind, first-year amount in thousand SEK, optional project and subject for texts.</summary>
internal sealed record CostItem(CostKind Kind, int Ksek, string Project = "", string? Subject = null);

/// <summary>A cost centre of the supplier's IT operations: where it maps and what it books.</summary>
/// <param name="Id">Its id in the ledger's <c>cost_center</c> column.</param>
/// <param name="Name">Its name (in <c>cost_centers.csv</c> and in ledger texts' <c>{c}</c>).</param>
/// <param name="ObjectId">The object its mapping row points at; <see langword="null"/> when no mapping row names it (its lines stay UNMAPPED).</param>
/// <param name="FteTenths">Staff in tenths of full-time equivalents (0: no payroll).</param>
/// <param name="Costs">What it books every year.</param>
/// <param name="Family">The demo cost centre a scale package's regional unit repeats (<see langword="null"/>: itself).</param>
internal sealed record CostCentreDef(string Id, string Name, string? ObjectId, int FteTenths, CostItem[] Costs, string? Family = null)
{
    /// <summary>The demo cost centre this one is, or repeats.</summary>
    public string Section => Family ?? Id;
}

internal static partial class DemoData
{
    public const int FeeRevenueAccount = 3121;
    public const int AssetAccount = 1221;
    public const int PayablesAccount = 2441;

    /// <summary>Budgets and forecasts are entered evenly over the year.</summary>
    public static readonly int[] EvenSeason = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];

    private static readonly int[] Flat = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100];
    private static readonly int[] Payroll = [100, 100, 100, 100, 100, 112, 96, 100, 100, 100, 100, 104];
    private static readonly int[] Quarterly = [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0];
    private static readonly int[] Renewals = [340, 60, 60, 120, 60, 60, 40, 60, 120, 60, 60, 100];
    private static readonly int[] Projects = [95, 105, 110, 105, 100, 90, 25, 70, 110, 115, 110, 85];
    private static readonly int[] Purchases = [60, 90, 150, 100, 90, 80, 30, 60, 100, 110, 140, 150];
    private static readonly int[] Winter = [130, 125, 115, 100, 90, 80, 75, 80, 90, 100, 115, 130];
    private static readonly int[] Trips = [70, 100, 110, 100, 110, 80, 20, 60, 120, 120, 110, 80];

    /// <summary>Booking rules per kind (indexed by <see cref="CostKind"/>).</summary>
    public static AccountDef Account(CostKind kind) => kind switch
    {
        CostKind.Salary => new(4011, "LON", 60, Payroll, 600_000, 1_400_000, 4_000, 1_035_000, SharedVoucher: true),
        CostKind.SocialFees => new(4511, "LON", 8, Payroll, 800_000, 1_200_000, 2_000, 1_035_000, SharedVoucher: true),
        CostKind.Pension => new(4611, "LON", 8, Payroll, 800_000, 1_200_000, 2_000, 1_040_000, SharedVoucher: true),
        CostKind.Training => new(4811, "LF", 150, Projects, 200_000, 1_800_000, 10_000, 1_000_000),
        CostKind.OtherStaff => new(4981, "LF", 300, Flat, 200_000, 1_800_000, 10_000, 1_020_000),
        CostKind.Travel => new(5511, "LF", 400, Trips, 200_000, 1_800_000, 20_000, 1_020_000),
        CostKind.RentDataCentre => new(5011, "LF", 2, Quarterly, 950_000, 1_050_000, 0, 1_045_000),
        CostKind.RentOffice => new(5011, "LF", 2, Quarterly, 950_000, 1_050_000, 0, 1_045_000),
        CostKind.Power => new(5041, "LF", 10, Winter, 700_000, 1_300_000, 5_000, 940_000),
        CostKind.Guarding => new(5061, "LF", 30, Flat, 500_000, 1_500_000, 5_000, 1_030_000),
        CostKind.HardwareLease => new(5211, "LF", 10, Flat, 800_000, 1_200_000, 5_000, 1_020_000),
        CostKind.HardwareMaintenance => new(5331, "LF", 40, Flat, 200_000, 1_800_000, 15_000, 1_020_000),
        CostKind.HardwarePurchase => new(5421, "LF", 120, Purchases, 200_000, 1_800_000, 30_000, 1_020_000),
        CostKind.Licence => new(5461, "LF", 15, Renewals, 200_000, 1_800_000, 15_000, 1_060_000),
        CostKind.SoftwareSupport => new(5462, "LF", 25, Renewals, 200_000, 1_800_000, 10_000, 1_040_000),
        CostKind.Consulting => new(5611, "LF", 60, Projects, 200_000, 1_800_000, 20_000, 960_000),
        CostKind.ManagementConsulting => new(5621, "LF", 40, Projects, 200_000, 1_800_000, 20_000, 950_000),
        CostKind.ItServices => new(5661, "LF", 20, Flat, 500_000, 1_500_000, 15_000, 1_030_000),
        CostKind.Cloud => new(5671, "LF", 30, Flat, 500_000, 1_500_000, 10_000, 1_120_000),
        CostKind.Telephony => new(5711, "LF", 60, Flat, 400_000, 1_600_000, 10_000, 990_000),
        CostKind.DataCommunication => new(5721, "LF", 15, Flat, 700_000, 1_300_000, 5_000, 1_010_000),
        CostKind.InternalServices => new(5761, "IB", 10, Flat, 800_000, 1_200_000, 5_000, 1_030_000),
        CostKind.OtherOperating => new(5811, "LF", 400, Flat, 200_000, 1_800_000, 20_000, 1_020_000),
        CostKind.Financial => new(5911, "RGK", 5, Quarterly, 900_000, 1_100_000, 0, 1_000_000),
        CostKind.DepreciationSoftware => new(6911, "AVS", 4, Flat, 950_000, 1_050_000, 0, 1_030_000, SharedVoucher: true),
        CostKind.DepreciationHardware => new(6912, "AVS", 4, Flat, 950_000, 1_050_000, 0, 1_030_000, SharedVoucher: true),
        CostKind.DepreciationPremises => new(6913, "AVS", 4, Flat, 950_000, 1_050_000, 0, 1_000_000, SharedVoucher: true),
        CostKind.Transfer => new(7731, "MAN", 5, Flat, 900_000, 1_100_000, 0, 1_000_000),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// The cost pools over the whole cost-account range 4000–8999, without gaps or overlaps, following the
    /// account classes of Statens baskontoplan: 4 personnel, 50 premises, 52–58 other operating costs,
    /// 59 financial costs, 69 depreciation, 7 transfers.
    /// </summary>
    public static readonly (int From, int To, string Pool, string Why)[] CostPools =
    [
        (4000, 4999, "Internal Labor", "kostnader för personal"),
        (5000, 5099, "Facilities & Power", "kostnader för lokaler, el och bevakning"),
        (5100, 5449, "Hardware", "hyra, leasing, underhåll och inköp av IT-utrustning"),
        (5450, 5499, "Software", "programvarulicenser, underhåll och support"),
        (5500, 5599, "Other", "resor och representation"),
        (5600, 5649, "External Labor", "konsulttjänster"),
        (5650, 5699, "Outside Services", "köpta IT-driftstjänster och molntjänster"),
        (5700, 5749, "Telecom", "telefoni och datakommunikation"),
        (5750, 5799, "Internal Services", "tjänster köpta av andra statliga myndigheter"),
        (5800, 5999, "Other", "övriga driftkostnader och finansiella kostnader"),
        (6000, 6910, "Other", "övrigt"),
        (6911, 6911, "Software", "avskrivningar immateriella anläggningstillgångar"),
        (6912, 6912, "Hardware", "avskrivningar maskiner och inventarier"),
        (6913, 6913, "Facilities & Power", "avskrivningar förbättringsutgifter på annans fastighet"),
        (6914, 8999, "Other", "övriga avskrivningar, transfereringar och övrigt"),
    ];
}
