namespace ItDrift.Tbm.Model;

/// <summary>One thing wrong with a model package: where it is and why it is wrong.</summary>
/// <param name="File">The input file (for a sheet of <c>model.xlsx</c>: <c>model.xlsx#sheet</c>).</param>
/// <param name="Line">1-based line in the file (CSV: physical line, header = 1; Parquet: row number + 1; sheet: row); 0 when the error is about the file as a whole.</param>
/// <param name="Column">The column (or JSON property path) at fault; empty when none applies.</param>
/// <param name="Reason">What is wrong, in a sentence a finance user can act on.</param>
public sealed record ModelError(string File, int Line, string Column, string Reason);

/// <summary>Something worth knowing that does not stop a run (an unknown column, a key without rows …).</summary>
public sealed record ModelWarning(string File, string Message);
