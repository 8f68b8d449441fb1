using System.Reflection;

namespace ItDrift.Tbm;

/// <summary>Identity of the engine build, recorded in every run.</summary>
public static class EngineInfo
{
    /// <summary>The engine's version (informational version without source-link suffix).</summary>
    public static string Version { get; } =
        (typeof(EngineInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
