using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ItDrift.Tbm.Tests.Support;

/// <summary>
/// Writes an .xlsx package from SpreadsheetML written by hand, so a test decides every detail a reader
/// must cope with (shared or inline strings, missing cells and references, number formats) that a
/// library writing workbooks would decide for it.
/// </summary>
internal static class HandWrittenXlsx
{
    public const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>Writes the workbook.</summary>
    /// <param name="path">The file.</param>
    /// <param name="sheets">Each sheet's name and the content of its <c>sheetData</c> element.</param>
    /// <param name="sharedStrings">The <c>si</c> elements of the shared strings part, if it has one.</param>
    /// <param name="cellFormats">The <c>xf</c> elements of <c>cellXfs</c>, if there is a styles part.</param>
    /// <param name="numberFormats">The <c>numFmt</c> elements of <c>numFmts</c>.</param>
    /// <param name="date1904">The workbook counts dates from 1904.</param>
    public static string Write(
        string path, IReadOnlyList<(string Name, string SheetData)> sheets, string? sharedStrings = null,
        string? cellFormats = null, string numberFormats = "", bool date1904 = false)
    {
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        void Part(string name, string xml)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            writer.Write("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""" + "\n" + xml);
        }

        const string relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        var types = new StringBuilder("""<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>""");
        var workbookRelationships = new StringBuilder("""<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">""");
        var sheetList = new StringBuilder();
        for (var i = 1; i <= sheets.Count; i++)
        {
            types.Append(CultureInfo.InvariantCulture, $"""<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>""");
            workbookRelationships.Append(CultureInfo.InvariantCulture, $"""<Relationship Id="rId{i}" Type="{relationships}/worksheet" Target="worksheets/sheet{i}.xml"/>""");
            sheetList.Append(CultureInfo.InvariantCulture, $"""<sheet name="{sheets[i - 1].Name}" sheetId="{i}" r:id="rId{i}"/>""");
            Part($"xl/worksheets/sheet{i}.xml", $"""<worksheet xmlns="{Main}"><sheetData>{sheets[i - 1].SheetData}</sheetData></worksheet>""");
        }

        if (sharedStrings is not null)
        {
            types.Append("""<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>""");
            workbookRelationships.Append($"""<Relationship Id="rIdStrings" Type="{relationships}/sharedStrings" Target="/xl/sharedStrings.xml"/>""");
            Part("xl/sharedStrings.xml", $"""<sst xmlns="{Main}">{sharedStrings}</sst>""");
        }

        if (cellFormats is not null)
        {
            types.Append("""<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>""");
            workbookRelationships.Append($"""<Relationship Id="rIdStyles" Type="{relationships}/styles" Target="styles.xml"/>""");
            Part("xl/styles.xml", $"""<styleSheet xmlns="{Main}"><numFmts>{numberFormats}</numFmts><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs>{cellFormats}</cellXfs></styleSheet>""");
        }

        Part("[Content_Types].xml", types.Append("</Types>").ToString());
        Part("_rels/.rels", $"""<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Part("xl/_rels/workbook.xml.rels", workbookRelationships.Append("</Relationships>").ToString());
        Part("xl/workbook.xml", $"""<workbook xmlns="{Main}" xmlns:r="{relationships}"><workbookPr{(date1904 ? " date1904=\"1\"" : "")}/><sheets>{sheetList}</sheets></workbook>""");
        return path;
    }
}
