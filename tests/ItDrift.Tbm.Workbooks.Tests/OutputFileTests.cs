using ItDrift.Tbm.Baselines;
using ItDrift.Tbm.Indicators;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests;

/// <summary>The single files written where the user says, the status report and the baseline template, never replace one.</summary>
public sealed class OutputFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void StatusReport_AndBaselineTemplate_NeverReplaceAnExistingFile()
    {
        var report = _temp.Combine("statusrapport-2025.xlsx");
        File.WriteAllText(report, "edited by hand");
        var refused = Assert.Throws<TbmException>(() => StatusReport.Write(new StatusReportOptions(2025, _temp.Combine("runs"), report)));
        Assert.Equal(TbmErrorKind.Conflict, refused.Kind);
        Assert.Contains("exists; nothing was written", refused.Message, StringComparison.Ordinal);
        Assert.Equal("edited by hand", File.ReadAllText(report));

        var template = _temp.Combine("mall.xlsx");
        File.WriteAllText(template, "filled in");
        Assert.Equal(TbmErrorKind.Conflict, Assert.Throws<TbmException>(() => BaselineWorkbook.WriteTemplate(SmallModel.Write(_temp.Combine("model"), SmallModel.Files()), template)).Kind);
        Assert.Equal("filled in", File.ReadAllText(template));
    }
}
