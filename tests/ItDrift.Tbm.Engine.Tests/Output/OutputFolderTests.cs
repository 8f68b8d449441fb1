using ItDrift.Tbm.Output;
using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Output;

/// <summary>The engine replaces only what it wrote: output folders by their marker.</summary>
public sealed class OutputFolderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void MoveIntoPlace_RefusesAFileAddedWhileTheRunWasWritten_AndKeepsIt()
    {
        var output = _temp.Combine("run");
        Directory.CreateDirectory(output);
        var temporary = OutputFolder.Prepare(output);
        File.WriteAllText(Path.Combine(temporary, "fees.csv"), "new\n");
        File.WriteAllText(Path.Combine(output, "notes.txt"), "added during the run\n"); // the folder was empty when the run started

        var refused = Assert.Throws<TbmException>(() => OutputFolder.MoveIntoPlace(temporary, output, "run folder"));

        Assert.Contains("is not empty and was not written by ItDrift.Tbm", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName));
        Assert.Equal("added during the run\n", File.ReadAllText(Path.Combine(output, "notes.txt")));
    }

    [Fact]
    public void MoveIntoPlace_ReplacesAnEarlierOutput_AndLeavesNoSiblings()
    {
        var output = _temp.Combine("out");
        var first = OutputFolder.Prepare(output);
        Directory.CreateDirectory(Path.Combine(first, "trail"));
        File.WriteAllText(Path.Combine(first, "trail", "a.parquet"), "1");
        File.WriteAllText(Path.Combine(first, "b.csv"), "1");
        OutputFolder.MoveIntoPlace(first, output, "test");
        Assert.Equal(["b.csv", "trail/a.parquet"], OutputFolder.ReadMarker(output)!.Order(StringComparer.Ordinal));

        var second = OutputFolder.Prepare(output);
        File.WriteAllText(Path.Combine(second, "c.csv"), "2");
        OutputFolder.MoveIntoPlace(second, output, "test");

        Assert.Equal([OutputFolder.MarkerFile, "c.csv"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"files": ["x"]}""")]
    [InlineData("""{"writtenBy": "someone else", "files": ["notes.txt"]}""")]
    [InlineData("""{"writtenBy": "ItDrift.Tbm 0.1.0", "files": ["../outside"]}""")]
    public void Prepare_RefusesAFolderWhoseMarkerIsNotTheEngines(string marker)
    {
        var output = _temp.Combine("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, OutputFolder.MarkerFile), marker);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");

        Assert.Throws<TbmException>(() => OutputFolder.Prepare(output));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "notes.txt")));
        Assert.Single(Directory.GetFileSystemEntries(_temp.Path));
    }
}
