// The read API over published runs grows here (issue 6); for now it answers health checks so the
// solution's composition root builds and is tested from the start.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health", () => Results.Ok(new { status = "ok", engine = ItDrift.Tbm.EngineInfo.Version }));
app.Run();

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
