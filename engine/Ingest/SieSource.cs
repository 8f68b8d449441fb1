using DuckDB.NET.Data;
using ItDrift.Tbm.Model;

namespace ItDrift.Tbm.Ingest;

/// <summary>The seam where SIE files join the ledger: each line a row of <c>stage_ledger</c>.</summary>
internal static class SieSource
{
    public static void Load(DuckDBConnection connection, TableSource source, short src, string stageTable, ErrorLog errors, List<ModelWarning> warnings)
    {
        _ = connection;
        _ = src;
        _ = stageTable;
        _ = warnings;
        errors.Add(new ModelError(source.Name, 0, "", "SIE files are not read by this version yet: export the ledger as ledger.csv"), ErrorLog.Reader);
    }
}
