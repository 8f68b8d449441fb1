namespace ItDrift.Tbm;

/// <summary>How the engine may use the machine.</summary>
/// <param name="MemoryLimit">DuckDB's memory limit, e.g. <c>"4GB"</c>; <see langword="null"/> keeps DuckDB's default (80 % of RAM).</param>
/// <param name="TempDirectory">Where DuckDB spills when the work does not fit in memory; <see langword="null"/> keeps DuckDB's default.</param>
/// <param name="Threads">DuckDB worker threads; <see langword="null"/> uses every core.</param>
public sealed record EngineSettings(string? MemoryLimit = null, string? TempDirectory = null, int? Threads = null)
{
    /// <summary>Every setting at DuckDB's default.</summary>
    public static EngineSettings Default { get; } = new();
}
