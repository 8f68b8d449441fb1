using System.Globalization;
using DuckDB.NET.Data;
using ItDrift.Tbm.Ingest.Sie;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Ingest;

/// <summary>What a user accepts explicitly in a SIE file instead of it being a model error.</summary>
/// <param name="Unbalanced">Vouchers whose rows do not sum to zero (<c>--accept-unbalanced</c>).</param>
/// <param name="Checksum">A wrong or broken <c>#KSUMMA</c> (<c>--accept-checksum</c>).</param>
/// <param name="UnknownAccounts">Accounts the file's <c>#KONTO</c> records do not declare (<c>--accept-unknown-accounts</c>).</param>
public sealed record SieAcceptance(bool Unbalanced = false, bool Checksum = false, bool UnknownAccounts = false)
{
    /// <summary>Nothing accepted: every such problem stops the run.</summary>
    public static SieAcceptance None { get; } = new();
}

/// <summary>
/// The seam where SIE files join the ledger: <see cref="SieReader"/> streams each line of the current
/// fiscal year (<c>#RAR 0</c>) into <c>stage_ledger</c> through DuckDB's appender, in the same canonical
/// text as a CSV ledger, so the one set of cell checks and the allocation treat both alike.
/// </summary>
internal static class SieSource
{
    public static SieReadReport Load(DuckDBConnection connection, TableSource source, short src, string stageTable, ErrorLog errors, List<ModelWarning> warnings, SieAcceptance accept, string? supplierOrgNr)
    {
        SieReadReport report;
        using (var appender = connection.CreateAppender(stageTable))
        {
            report = SieReader.Read(source.Path, new AppenderSink(appender, src));
        }

        foreach (var issue in report.Issues)
        {
            var accepted = issue.Kind switch
            {
                SieIssueKind.UnbalancedVoucher => accept.Unbalanced,
                SieIssueKind.ChecksumMismatch or SieIssueKind.ChecksumStructure => accept.Checksum,
                SieIssueKind.UndeclaredAccount => accept.UnknownAccounts,
                _ => issue.Severity == SieSeverity.Warning,
            };
            var where = issue.Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"line {issue.Line}: ") : "";
            if (accepted)
            {
                warnings.Add(new ModelWarning(source.Name, $"{where}{issue.Reason}"));
            }
            else
            {
                var hint = issue.Kind switch
                {
                    SieIssueKind.UnbalancedVoucher => " (accept with --accept-unbalanced)",
                    SieIssueKind.ChecksumMismatch or SieIssueKind.ChecksumStructure => " (accept with --accept-checksum)",
                    SieIssueKind.UndeclaredAccount => " (accept with --accept-unknown-accounts)",
                    _ => "",
                };
                errors.Add(new ModelError(source.Name, issue.Line, issue.Column, issue.Reason + hint), ErrorLog.Reader);
            }
        }

        if (report.IssuesSuppressed > 0)
        {
            errors.Add(new ModelError(source.Name, 0, "", string.Create(CultureInfo.InvariantCulture, $"{report.IssuesSuppressed} more problems of the same kinds were not listed")), ErrorLog.Reader);
        }

        if (supplierOrgNr is not null && report.OrgNumber is { } declared)
        {
            if (!OrgNr.TryParse(declared, out var parsed, out var reason))
            {
                errors.Add(new ModelError(source.Name, 0, "#ORGNR", reason), ErrorLog.Reader);
            }
            else if (parsed.Value != supplierOrgNr)
            {
                errors.Add(new ModelError(source.Name, 0, "#ORGNR", $"the file is the books of {parsed.Value}, but the model's supplier is {supplierOrgNr}"), ErrorLog.Reader);
            }
        }

        if (report.YearLevel)
        {
            warnings.Add(new ModelWarning(source.Name, "the file has no transactions or period balances: its year totals (#RES) are used as period 12 (year-level data)"));
        }

        foreach (var year in report.Years.Where(y => !y.Sent && y.Lines > 0))
        {
            warnings.Add(new ModelWarning(source.Name, string.Create(CultureInfo.InvariantCulture,
                $"#RAR {year.YearIndex} (fiscal year {year.FiscalYear}) has {year.Lines} {year.Scenario.ToString().ToLowerInvariant()} lines; only #RAR 0 is the run's ledger")));
        }

        return report;
    }

    /// <summary>Appends each line as canonical text, exactly as a comma-separated ledger file would hold it.</summary>
    private sealed class AppenderSink(DuckDBAppender appender, short src) : ILedgerSink
    {
        public void Add(in SieLedgerLine line)
        {
            appender.CreateRow()
                .AppendValue((short?)src)
                .AppendValue((int?)line.SourceLine)
                .AppendValue(line.FiscalYear.ToString(CultureInfo.InvariantCulture))
                .AppendValue(line.Period.ToString(CultureInfo.InvariantCulture))
                .AppendValue(line.ScenarioName)
                .AppendValue(line.Account.ToString(CultureInfo.InvariantCulture))
                .AppendValue(Text(line.CostCenter))
                .AppendValue(Text(line.Project))
                .AppendValue(Money.Format(line.AmountOre))
                .AppendValue(Text(line.Voucher))
                .AppendValue(Text(line.Text))
                .EndRow();
        }

        private static string? Text(ReadOnlySpan<char> value) => value.IsEmpty ? null : value.ToString();
    }
}
