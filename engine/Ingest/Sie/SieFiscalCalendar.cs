namespace ItDrift.Tbm.Ingest.Sie;

/// <summary>Where a date or a calendar month falls among the file's fiscal years.</summary>
internal enum SiePlacement
{
    InYear,

    /// <summary>In no <c>#RAR</c> year (or the year number has no <c>#RAR</c>).</summary>
    Outside,

    /// <summary>
    /// Past the eighteenth month of its fiscal year: a fiscal year is at most 18 months (bokföringslagen 3 kap. 3 §),
    /// and the model's periods are 1–18, so a <c>#RAR</c> longer than that cannot be placed.
    /// </summary>
    BeyondEighteen,
}

/// <summary>
/// The fiscal years of the file's <c>#RAR</c> records, and the rules of docs/model-format.md §1.4 (SIE files): the fiscal year is
/// named by the calendar year in which it ends, and a period is the month counted from its first month.
/// Without a usable <c>#RAR 0</c> (SIE 4I files may omit it) every year is taken to be a calendar year.
/// </summary>
internal sealed class SieFiscalCalendar
{
    private SieFiscalYear[] _years = [];
    private SieFiscalYear? _current;

    /// <summary>True when no <c>#RAR 0</c> was usable: fiscal year = calendar year, period = month.</summary>
    public bool CalendarYears { get; private set; }

    public SieFiscalYear? Current => _current;

    public void Freeze(List<SieFiscalYear> years)
    {
        _years = [.. years];
        _current = years.Find(y => y.YearIndex == 0);
        CalendarYears = _current is null;
    }

    public SieFiscalYear? ByIndex(int yearIndex)
    {
        foreach (var year in _years)
        {
            if (year.YearIndex == yearIndex)
            {
                return year;
            }
        }

        return null;
    }

    /// <summary>Places a transaction date.</summary>
    public SiePlacement Place(DateOnly date, out int yearIndex, out int fiscalYear, out int period)
    {
        if (CalendarYears)
        {
            yearIndex = 0;
            fiscalYear = date.Year;
            period = date.Month;
            return SiePlacement.InYear;
        }

        var current = _current!;
        if (date >= current.Start && date <= current.End)
        {
            return Period(current, date.Year, date.Month, out yearIndex, out fiscalYear, out period);
        }

        foreach (var year in _years)
        {
            if (date >= year.Start && date <= year.End)
            {
                return Period(year, date.Year, date.Month, out yearIndex, out fiscalYear, out period);
            }
        }

        yearIndex = 0;
        fiscalYear = 0;
        period = 0;
        return SiePlacement.Outside;
    }

    /// <summary>Places a <c>#PSALDO</c>/<c>#PBUDGET</c> month (<c>ÅÅÅÅMM</c>) of year number <paramref name="yearIndex"/>.</summary>
    public SiePlacement Place(int yearIndex, int yearMonth, out int fiscalYear, out int period)
    {
        var calendarYear = yearMonth / 100;
        var month = yearMonth % 100;
        if (CalendarYears)
        {
            fiscalYear = calendarYear;
            period = month;
            return SiePlacement.InYear;
        }

        var year = ByIndex(yearIndex);
        var first = year is null ? 0 : (year.Start.Year * 12) + year.Start.Month;
        var last = year is null ? 0 : (year.End.Year * 12) + year.End.Month;
        var at = (calendarYear * 12) + month;
        if (year is null || at < first || at > last)
        {
            fiscalYear = 0;
            period = 0;
            return SiePlacement.Outside;
        }

        return Period(year, calendarYear, month, out _, out fiscalYear, out period);
    }

    private static SiePlacement Period(SieFiscalYear year, int calendarYear, int month, out int yearIndex, out int fiscalYear, out int period)
    {
        yearIndex = year.YearIndex;
        fiscalYear = year.FiscalYear;
        period = ((calendarYear - year.Start.Year) * 12) + month - year.Start.Month + 1;
        return period <= 18 ? SiePlacement.InYear : SiePlacement.BeyondEighteen;
    }
}
