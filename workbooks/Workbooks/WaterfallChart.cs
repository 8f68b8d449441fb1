using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;
using System.Xml.Linq;

namespace ItDrift.Tbm.Workbooks;

/// <summary>One column of a waterfall: a total (drawn from zero) or a step (drawn from the running total).</summary>
/// <param name="Label">The category's label.</param>
/// <param name="Amount">The total, or the step's change, in kronor.</param>
/// <param name="IsTotal">A total (the fee on a side) rather than a step (an effect).</param>
internal sealed record WaterfallColumn(string Label, decimal Amount, bool IsTotal);

/// <summary>
/// The values of the four series a classic stacked-column waterfall is drawn with: an invisible base the visible
/// part stands on, the totals, the increases and the decreases (each column has a value in one visible series).
/// </summary>
internal sealed record WaterfallSeries(decimal[] Base, decimal[] Total, decimal[] Increase, decimal[] Decrease)
{
    /// <summary>The series of <paramref name="columns"/>: a step from s to e stands on min(s, e) and is |e − s| high.</summary>
    /// <remarks>
    /// Below zero a column hangs from max(s, e) (stacked negative values grow downwards). A step that crosses zero
    /// cannot be one stacked bar: it is drawn from zero to its end, and the table beside the chart has its figures.
    /// </remarks>
    public static WaterfallSeries Of(IReadOnlyList<WaterfallColumn> columns)
    {
        var n = columns.Count;
        var series = new WaterfallSeries(new decimal[n], new decimal[n], new decimal[n], new decimal[n]);
        var running = 0m;
        for (var i = 0; i < n; i++)
        {
            var column = columns[i];
            if (column.IsTotal)
            {
                series.Total[i] = column.Amount;
                running = column.Amount;
                continue;
            }

            var (start, end) = (running, running + column.Amount);
            var (low, high) = (Math.Min(start, end), Math.Max(start, end));
            var target = column.Amount >= 0 ? series.Increase : series.Decrease;
            if (low >= 0)
            {
                series.Base[i] = low;
                target[i] = high - low;
            }
            else if (high <= 0)
            {
                series.Base[i] = high;
                target[i] = low - high;
            }
            else
            {
                target[i] = end;
            }

            running = end;
        }

        return series;
    }
}

/// <summary>Where a chart goes and what it shows: the sheet, the cells of its categories and series, and its anchor.</summary>
/// <param name="Sheet">The sheet's name.</param>
/// <param name="Title">The chart's title.</param>
/// <param name="Columns">The waterfall's columns.</param>
/// <param name="FirstRow">The row (1-based) of the first category in the sheet's chart data.</param>
/// <param name="LabelColumn">The column (1-based) of the category labels.</param>
/// <param name="FirstSeriesColumn">The column of the first series (base, total, increase, decrease follow in that order).</param>
/// <param name="AnchorRow">The row (0-based) of the chart's top-left corner.</param>
/// <param name="AnchorColumn">The column (0-based) of its top-left corner.</param>
internal sealed record WaterfallPlacement(
    string Sheet, string Title, IReadOnlyList<WaterfallColumn> Columns, int FirstRow, int LabelColumn, int FirstSeriesColumn, int AnchorRow, int AnchorColumn);

/// <summary>
/// Adds a waterfall chart — a DrawingML chart part, the drawing that anchors it and their relationships — to an
/// .xlsx package that ClosedXML wrote. ClosedXML 0.95.4 reads and writes no charts, so the parts are written here as
/// text, after the schema (ECMA-376 Part 1, §21.2, <c>dml-chart.xsd</c>; §20.5 <c>dml-spreadsheetDrawing.xsd</c>): a
/// stacked column chart (<c>c:barChart</c>, <c>grouping stacked</c>, <c>overlap 100</c>) whose first series has no
/// fill and no legend entry. Every series refers to the sheet's cells (<c>c:numRef</c>) and carries their values
/// (<c>c:numCache</c>), so a program that does not recalculate still draws it.
/// </summary>
/// <remarks>
/// Everything written is a function of the placement alone (no ids from a clock or a random source), and the package
/// then goes through <see cref="ReproduciblePackage.Normalize"/>, so the workbook stays byte-identical.
/// </remarks>
internal static class WaterfallChart
{
    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string OfficeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string MainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string DrawingType = OfficeRelationships + "/drawing";
    private const string ChartType = OfficeRelationships + "/chart";
    private const string DrawingContentType = "application/vnd.openxmlformats-officedocument.drawing+xml";
    private const string ChartContentType = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";

    /// <summary>The elements a worksheet may have after <c>drawing</c> (CT_Worksheet's sequence): the drawing goes before the first of them.</summary>
    private static readonly string[] After = ["legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst"];

    /// <summary>Adds the chart of <paramref name="placement"/> to the package in <paramref name="package"/> (read and rewritten in place).</summary>
    /// <exception cref="InvalidOperationException">The package has no sheet of that name, or it already has a drawing (the workbooks here write none).</exception>
    public static void Add(MemoryStream package, WaterfallPlacement placement)
    {
        using var zip = new ZipArchive(package, ZipArchiveMode.Update, leaveOpen: true);
        var sheetPart = SheetPart(zip, placement.Sheet);
        var sheetRels = RelsOf(sheetPart);
        var drawingPart = FreeName(zip, "xl/drawings/drawing", ".xml");
        var chartPart = FreeName(zip, "xl/charts/chart", ".xml");

        // The sheet's relationship to its drawing, and the drawing element that names it.
        var rels = zip.GetEntry(sheetRels) is { } existing ? Read(existing) : null;
        var drawingId = rels is null ? "rId1" : FreeId(rels);
        Write(zip, sheetRels, AddRelationship(rels, drawingId, DrawingType, Relative(sheetPart, drawingPart)));
        var sheet = Read(zip.GetEntry(sheetPart)!);
        Write(zip, sheetPart, WithDrawing(sheet, drawingId));

        Write(zip, drawingPart, Drawing(placement));
        Write(zip, RelsOf(drawingPart), AddRelationship(null, "rId1", ChartType, Relative(drawingPart, chartPart)));
        Write(zip, chartPart, Chart(placement));

        var types = Read(zip.GetEntry("[Content_Types].xml")!);
        var overrides = Override(drawingPart, DrawingContentType) + Override(chartPart, ChartContentType);
        var end = types.LastIndexOf("</", StringComparison.Ordinal);
        Write(zip, "[Content_Types].xml", types[..end] + overrides + types[end..]);
    }

    /// <summary>The part of the sheet named <paramref name="name"/>, from the workbook and its relationships.</summary>
    private static string SheetPart(ZipArchive zip, string name)
    {
        XNamespace main = MainNamespace;
        XNamespace r = OfficeRelationships;
        XNamespace rels = RelationshipsNamespace;
        var workbook = XDocument.Parse(Read(zip.GetEntry("xl/workbook.xml")!).TrimStart('\uFEFF'));
        var id = workbook.Descendants(main + "sheet").FirstOrDefault(s => (string?)s.Attribute("name") == name)?.Attribute(r + "id")?.Value
            ?? throw new InvalidOperationException($"The workbook has no sheet '{name}'.");
        var relationships = XDocument.Parse(Read(zip.GetEntry("xl/_rels/workbook.xml.rels")!).TrimStart('\uFEFF'));
        var target = relationships.Descendants(rels + "Relationship").Single(x => (string?)x.Attribute("Id") == id).Attribute("Target")!.Value;
        return target.StartsWith('/') ? target[1..] : "xl/" + target;
    }

    /// <summary>The .rels part of a part: <c>xl/worksheets/sheet1.xml</c> → <c>xl/worksheets/_rels/sheet1.xml.rels</c>.</summary>
    private static string RelsOf(string part)
    {
        var slash = part.LastIndexOf('/');
        return part[..(slash + 1)] + "_rels/" + part[(slash + 1)..] + ".rels";
    }

    /// <summary>The target of a relationship from <paramref name="from"/> to <paramref name="to"/>, relative to the first's folder (both under <c>xl/</c>).</summary>
    private static string Relative(string from, string to) =>
        from.Count(c => c == '/') == 1 ? to["xl/".Length..] : "../" + to["xl/".Length..];

    private static string FreeName(ZipArchive zip, string prefix, string suffix)
    {
        for (var i = 1; ; i++)
        {
            var name = prefix + i.ToString(CultureInfo.InvariantCulture) + suffix;
            if (zip.GetEntry(name) is null)
            {
                return name;
            }
        }
    }

    private static string FreeId(string rels)
    {
        for (var i = 1; ; i++)
        {
            var id = "rId" + i.ToString(CultureInfo.InvariantCulture);
            if (!rels.Contains("Id=\"" + id + "\"", StringComparison.Ordinal))
            {
                return id;
            }
        }
    }

    private static string AddRelationship(string? rels, string id, string type, string target)
    {
        var relationship = $"<Relationship Id=\"{id}\" Type=\"{type}\" Target=\"{target}\"/>";
        if (rels is null)
        {
            return $"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"{RelationshipsNamespace}\">{relationship}</Relationships>";
        }

        var end = rels.LastIndexOf("</", StringComparison.Ordinal);
        return rels[..end] + relationship + rels[end..];
    }

    /// <summary>The sheet with a <c>drawing</c> element in its place in the sequence (as text: the rest stays as ClosedXML wrote it).</summary>
    private static string WithDrawing(string sheet, string id)
    {
        var root = sheet.IndexOf("worksheet", StringComparison.Ordinal);
        var open = sheet.LastIndexOf('<', root);
        var prefix = sheet[(open + 1)..root]; // "x:" or ""
        if (sheet.Contains("<" + prefix + "drawing ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The sheet already has a drawing.");
        }

        var element = $"<{prefix}drawing xmlns:r=\"{OfficeRelationships}\" r:id=\"{id}\"/>";
        var at = After.Select(name => sheet.IndexOf("<" + prefix + name, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(sheet.LastIndexOf("</" + prefix + "worksheet>", StringComparison.Ordinal)).Min();
        return sheet[..at] + element + sheet[at..];
    }

    private static string Override(string part, string type) => $"<Override PartName=\"/{part}\" ContentType=\"{type}\"/>";

    /// <summary>The drawing: one two-cell anchor holding the chart's graphic frame, 9 columns × 20 rows from the anchor.</summary>
    private static string Drawing(WaterfallPlacement p)
    {
        string Marker(string name, int column, int row) =>
            $"<xdr:{name}><xdr:col>{Int(column)}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{Int(row)}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:{name}>";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<xdr:wsDr xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\">"
            + "<xdr:twoCellAnchor editAs=\"oneCell\">" + Marker("from", p.AnchorColumn, p.AnchorRow) + Marker("to", p.AnchorColumn + 6, p.AnchorRow + 22)
            + "<xdr:graphicFrame macro=\"\"><xdr:nvGraphicFramePr><xdr:cNvPr id=\"2\" name=\"Vattenfallsdiagram\" descr=\"" + X(p.Title) + "\"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
            + "<xdr:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/></xdr:xfrm>"
            + "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">"
            + $"<c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:r=\"{OfficeRelationships}\" r:id=\"rId1\"/>"
            + "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>";
    }

    /// <summary>The chart part: a stacked column chart of four series over the placement's cells, with their values cached.</summary>
    private static string Chart(WaterfallPlacement p)
    {
        var values = WaterfallSeries.Of(p.Columns);
        var sheet = "'" + p.Sheet.Replace("'", "''", StringComparison.Ordinal) + "'";
        var lastRow = p.FirstRow + p.Columns.Count - 1;
        string Range(int column) => $"{sheet}!${Excel.Column(column)}${Int(p.FirstRow)}:${Excel.Column(column)}${Int(lastRow)}";

        var categories = new StringBuilder();
        categories.Append("<c:cat><c:strRef><c:f>").Append(X(Range(p.LabelColumn))).Append("</c:f><c:strCache><c:ptCount val=\"").Append(Int(p.Columns.Count)).Append("\"/>");
        for (var i = 0; i < p.Columns.Count; i++)
        {
            categories.Append("<c:pt idx=\"").Append(Int(i)).Append("\"><c:v>").Append(X(p.Columns[i].Label)).Append("</c:v></c:pt>");
        }

        categories.Append("</c:strCache></c:strRef></c:cat>");
        (string Name, decimal[] Values, string? Colour, string? LabelFormat)[] series =
        [
            ("Bas", values.Base, null, null),
            ("Avgift", values.Total, "0B4F8A", "#,##0.00 \"kr\";-#,##0.00 \"kr\";"),
            ("Ökning", values.Increase, "A30000", "+#,##0.00 \"kr\";-#,##0.00 \"kr\";"),
            ("Minskning", values.Decrease, "2E7D32", "-#,##0.00 \"kr\";#,##0.00 \"kr\";"),
        ];

        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
            .Append("<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:r=\"")
            .Append(OfficeRelationships).Append("\">")
            .Append("<c:lang val=\"sv-SE\"/><c:roundedCorners val=\"0\"/><c:chart>")
            .Append("<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr sz=\"1200\" b=\"1\"/></a:pPr><a:r><a:rPr lang=\"sv-SE\" sz=\"1200\" b=\"1\"/><a:t>").Append(X(p.Title))
            .Append("</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title><c:autoTitleDeleted val=\"0\"/>")
            .Append("<c:plotArea><c:layout/><c:barChart><c:barDir val=\"col\"/><c:grouping val=\"stacked\"/><c:varyColors val=\"0\"/>");
        for (var s = 0; s < series.Length; s++)
        {
            var (name, data, colour, format) = series[s];
            var column = p.FirstSeriesColumn + s;
            xml.Append("<c:ser><c:idx val=\"").Append(Int(s)).Append("\"/><c:order val=\"").Append(Int(s)).Append("\"/>")
                .Append("<c:tx><c:strRef><c:f>").Append(X($"{sheet}!${Excel.Column(column)}${Int(p.FirstRow - 1)}")).Append("</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\"><c:v>")
                .Append(X(s == 0 ? "Bas (osynlig)" : name)).Append("</c:v></c:pt></c:strCache></c:strRef></c:tx>")
                .Append(colour is null ? "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>" : $"<c:spPr><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill></c:spPr>")
                .Append("<c:invertIfNegative val=\"0\"/>");
            if (format is null)
            {
                xml.Append("<c:dLbls><c:delete val=\"1\"/></c:dLbls>");
            }
            else
            {
                xml.Append("<c:dLbls><c:numFmt formatCode=\"").Append(X(format)).Append("\" sourceLinked=\"0\"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>")
                    .Append("<c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/><c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>");
            }

            xml.Append(categories)
                .Append("<c:val><c:numRef><c:f>").Append(X(Range(column))).Append("</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val=\"").Append(Int(data.Length)).Append("\"/>");
            for (var i = 0; i < data.Length; i++)
            {
                xml.Append("<c:pt idx=\"").Append(Int(i)).Append("\"><c:v>").Append(data[i].ToString(CultureInfo.InvariantCulture)).Append("</c:v></c:pt>");
            }

            xml.Append("</c:numCache></c:numRef></c:val></c:ser>");
        }

        xml.Append("<c:gapWidth val=\"60\"/><c:overlap val=\"100\"/><c:axId val=\"1001\"/><c:axId val=\"1002\"/></c:barChart>")
            .Append("<c:catAx><c:axId val=\"1001\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"b\"/>")
            .Append("<c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"low\"/>")
            .Append("<c:crossAx val=\"1002\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>")
            .Append("<c:valAx><c:axId val=\"1002\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"l\"/><c:majorGridlines/>")
            .Append("<c:numFmt formatCode=\"#,##0 &quot;kr&quot;\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>")
            .Append("<c:crossAx val=\"1001\"/><c:crosses val=\"autoZero\"/><c:crossBetween val=\"between\"/></c:valAx></c:plotArea>")
            .Append("<c:legend><c:legendPos val=\"b\"/><c:legendEntry><c:idx val=\"0\"/><c:delete val=\"1\"/></c:legendEntry><c:overlay val=\"0\"/></c:legend>")
            .Append("<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart></c:chartSpace>");
        return xml.ToString();
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string X(string text) => SecurityElement.Escape(text);

    private static string Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        return reader.ReadToEnd();
    }

    private static void Write(ZipArchive zip, string name, string text)
    {
        zip.GetEntry(name)?.Delete();
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(Encoding.UTF8.GetBytes(text));
    }
}
