using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace ItDrift.Tbm.Ingest;

/// <summary>What a cell holds, as <see cref="XlsxPackage"/> reads it.</summary>
internal enum XlsxValueKind
{
    /// <summary>Text (<see cref="XlsxCell.Text"/>): a shared or inline string, a formula's text result, or a number in a cell formatted as text.</summary>
    Text,

    /// <summary>A number (<see cref="XlsxCell.Number"/>).</summary>
    Number,

    /// <summary>True or false (<see cref="XlsxCell.Number"/> 1 or 0).</summary>
    Boolean,

    /// <summary>A date: a number in a cell with a date format, or an ISO 8601 date cell (<see cref="XlsxCell.Number"/>: the serial date, days since 1899-12-30).</summary>
    Date,

    /// <summary>A duration: a number in a cell with the format <c>[h]:mm:ss</c> (<see cref="XlsxCell.Number"/>: days).</summary>
    Time,

    /// <summary>No value can be read (<see cref="XlsxCell.Text"/> says why): an error value, a formula never calculated, a malformed number.</summary>
    Unreadable,
}

/// <summary>A cell that holds something: its column (1 for A) and its value.</summary>
internal readonly record struct XlsxCell(int Column, XlsxValueKind Kind, string? Text, double Number);

/// <summary>
/// How much of a workbook <see cref="XlsxPackage"/> reads before it refuses it (docs/model-format.md §1.2):
/// bounds on what a small zip can inflate to, so that no workbook exhausts memory or time.
/// </summary>
/// <param name="MaxSheetBytes">The largest uncompressed sheet part, in bytes.</param>
/// <param name="MaxPartBytes">The largest uncompressed other part (shared strings, styles, workbook), in bytes.</param>
/// <param name="MaxCellChars">The most characters in one cell or shared string (Excel's own limit is 32 767).</param>
internal sealed record XlsxLimits(long MaxSheetBytes, long MaxPartBytes, int MaxCellChars)
{
    /// <summary>The most rows a sheet has (Excel's own limit).</summary>
    public const int MaxRow = 1_048_576;

    /// <summary>512 MiB of sheet (over a million ledger rows), 256 MiB of other parts, 32 767 characters a cell.</summary>
    public static XlsxLimits Default { get; } = new(512L << 20, 256L << 20, 32_767);
}

/// <summary>A row of a sheet (1 for the first) with the cells that hold something, in column order.</summary>
internal sealed record XlsxRow(int Number, IReadOnlyList<XlsxCell> Cells);

/// <summary>
/// Reads the cell values of an .xlsx workbook (SpreadsheetML, ECMA-376 Part 1 §18): the sheets' names and
/// parts from <c>workbook.xml</c> and its relationships, the shared strings, the styles' number formats
/// (to tell dates from numbers) and each sheet's rows, streamed. Nothing else — no formatting, no formula
/// evaluation: a formula cell is read as the value the spreadsheet program stored with it.
/// </summary>
/// <remarks>
/// <para>
/// A number in a cell whose number format is a date or time format is a date (<see cref="XlsxValueKind.Date"/>)
/// or a duration (<see cref="XlsxValueKind.Time"/>), decided as sheets have always been read: the built-in
/// formats 14–22 and 45–47 are dates, 46 is a duration, 49 (<c>@</c>) is text; a custom format is a date
/// when a date or time letter (y, m, d, h, s) comes before any digit placeholder (0, # or ?), ignoring
/// quoted text, escaped characters and bracketed sections such as <c>[Red]</c> or <c>[$kr-41D]</c>.
/// Formula results are never dates.
/// </para>
/// <para>
/// Cells are placed by their reference (<c>r</c>), or after the previous cell when it is absent; rows
/// likewise. A cell with nothing in it (only a style) is not returned.
/// </para>
/// </remarks>
internal sealed class XlsxPackage : IDisposable
{
    private const string MainTransitional = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string MainStrict = "http://purl.oclc.org/ooxml/spreadsheetml/main";
    private const string RelationshipsTransitional = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string RelationshipsStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships";
    private const string PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const int MaxColumn = 16_384;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;
    private readonly Dictionary<string, string> _sheetParts = new(StringComparer.Ordinal);
    private readonly List<string> _sharedStrings = [];
    private readonly List<XlsxValueKind> _styleKinds = [];
    private readonly bool _date1904;
    private readonly XlsxLimits _limits;
    private readonly StringBuilder _text = new();
    private readonly char[] _chunk = new char[4096];

    private XlsxPackage(Stream stream, XlsxLimits limits)
    {
        _limits = limits;
        _zip = new ZipArchive(stream, ZipArchiveMode.Read);
        try
        {
            // Part names compare case-insensitively (ECMA-376 Part 2, the Open Packaging Conventions).
            _entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in _zip.Entries)
            {
                _entries.TryAdd(entry.FullName.TrimStart('/'), entry);
            }

            var workbookPart = Relationships("", "").FirstOrDefault(r => IsType(r.Type, "officeDocument")).Target
                ?? throw new InvalidDataException("not a workbook: the package names no main part (_rels/.rels)");
            var workbookRelationships = Relationships(Folder(workbookPart), Path.GetFileName(workbookPart));
            var sheetNames = new List<string>();
            _date1904 = ReadWorkbook(workbookPart, workbookRelationships, sheetNames);
            SheetNames = sheetNames;
            if (workbookRelationships.FirstOrDefault(r => IsType(r.Type, "sharedStrings")).Target is { } strings && Exists(strings))
            {
                ReadSharedStrings(strings);
            }

            if (workbookRelationships.FirstOrDefault(r => IsType(r.Type, "styles")).Target is { } styles && Exists(styles))
            {
                ReadStyles(styles);
            }
        }
        catch
        {
            _zip.Dispose();
            throw;
        }
    }

    /// <summary>The worksheets' names in the workbook's order (chart sheets and macro sheets are left out).</summary>
    public IReadOnlyList<string> SheetNames { get; }

    /// <summary>Opens a workbook.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">It is not a zip package, or not a workbook.</exception>
    /// <exception cref="XmlException">A part of it is not well-formed XML.</exception>
    public static XlsxPackage Open(string path, XlsxLimits? limits = null)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return new XlsxPackage(stream, limits ?? XlsxLimits.Default);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The rows of a sheet that have cells holding something, as they are in the file (ascending).</summary>
    /// <exception cref="ArgumentException">The workbook has no such sheet.</exception>
    /// <exception cref="XmlException">The sheet is not well-formed XML.</exception>
    /// <exception cref="InvalidDataException">The sheet is beyond a limit (<see cref="XlsxLimits"/>) or holds a malformed reference; the message says where.</exception>
    public IEnumerable<XlsxRow> Rows(string sheet)
    {
        if (!_sheetParts.TryGetValue(sheet, out var part))
        {
            throw new ArgumentException($"the workbook has no sheet '{sheet}'", nameof(sheet));
        }

        return ReadRows(part);
    }

    public void Dispose() => _zip.Dispose();

    private IEnumerable<XlsxRow> ReadRows(string part)
    {
        using var reader = OpenXml(part, _limits.MaxSheetBytes);
        if (!MoveToElement(reader, "sheetData") || reader.IsEmptyElement)
        {
            yield break;
        }

        var sheetDepth = reader.Depth;
        var rowNumber = 0;
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == sheetDepth))
        {
            if (reader.NodeType != XmlNodeType.Element || !IsMain(reader, "row"))
            {
                continue;
            }

            rowNumber = reader.GetAttribute("r") is { } r ? ParseIndex(reader, r, "row") : rowNumber + 1;
            if (rowNumber > XlsxLimits.MaxRow)
            {
                throw Malformed(reader, $"row {rowNumber} is beyond the last row a sheet has ({XlsxLimits.MaxRow})");
            }

            var cells = new List<XlsxCell>();
            if (!reader.IsEmptyElement)
            {
                var rowDepth = reader.Depth;
                var column = 0;
                while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == rowDepth))
                {
                    if (reader.NodeType == XmlNodeType.Element && IsMain(reader, "c"))
                    {
                        column = reader.GetAttribute("r") is { } reference ? ColumnOf(reader, reference) : column + 1;
                        if (column > MaxColumn)
                        {
                            throw Malformed(reader, $"row {rowNumber} has a cell beyond the last column a sheet has (XFD)");
                        }

                        if (ReadCell(reader, column) is { } cell)
                        {
                            cells.Add(cell);
                        }
                    }
                }
            }

            if (cells.Count > 0)
            {
                yield return new XlsxRow(rowNumber, cells);
            }
        }
    }

    /// <summary>Reads the cell the reader is on (to its end); <see langword="null"/> when it holds nothing.</summary>
    private XlsxCell? ReadCell(XmlReader reader, int column)
    {
        var type = reader.GetAttribute("t") ?? "n";
        var style = reader.GetAttribute("s") is { } s && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;
        string? value = null;
        string? inline = null;
        var formula = false;
        if (!reader.IsEmptyElement)
        {
            var depth = reader.Depth;
            reader.Read();
            while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                }
                else if (IsMain(reader, "v"))
                {
                    value = ReadText(reader);
                }
                else if (IsMain(reader, "is"))
                {
                    inline = ReadStringItem(reader);
                }
                else
                {
                    formula |= IsMain(reader, "f");
                    reader.Skip();
                }
            }
        }

        if (value is null && type != "inlineStr")
        {
            // A formula whose result was never stored (a file written by a program that does not calculate).
            return formula ? new XlsxCell(column, XlsxValueKind.Unreadable, "it holds a formula without a calculated value; open and save the workbook in a spreadsheet program", 0) : null;
        }

        if (string.IsNullOrWhiteSpace(value) && type is not ("s" or "str" or "inlineStr"))
        {
            return Text(column, "", formula); // nothing, or a formula's empty result
        }

        switch (type)
        {
            case "s":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id < _sharedStrings.Count
                    ? Text(column, _sharedStrings[id], formula)
                    : new XlsxCell(column, XlsxValueKind.Unreadable, $"it names shared string '{value}', which the workbook does not have", 0);
            case "inlineStr":
                return Text(column, inline ?? "", formula);
            case "str":
                return Text(column, Decode(value!), formula);
            case "b":
                return new XlsxCell(column, XlsxValueKind.Boolean, null, IsTrue(value!) ? 1 : 0);
            case "e":
                return new XlsxCell(column, XlsxValueKind.Unreadable, $"it holds the error {value}", 0);
            case "d":
                return DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date)
                    ? new XlsxCell(column, XlsxValueKind.Date, null, date.ToOADate())
                    : new XlsxCell(column, XlsxValueKind.Unreadable, $"'{value}' is not an ISO 8601 date", 0);
            default:
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return new XlsxCell(column, XlsxValueKind.Unreadable, $"'{value}' is not a number", 0);
                }

                var kind = formula || style < 0 || style >= _styleKinds.Count ? XlsxValueKind.Number : _styleKinds[style];
                return kind switch
                {
                    XlsxValueKind.Text => new XlsxCell(column, XlsxValueKind.Text, number.ToString(CultureInfo.InvariantCulture), number),
                    XlsxValueKind.Date when _date1904 => Date(column, number + 1462),
                    XlsxValueKind.Date => Date(column, number),
                    _ => new XlsxCell(column, kind, null, number),
                };
        }
    }

    /// <summary>A text cell; empty text counts only as a formula's result (a cell that has something).</summary>
    private static XlsxCell? Text(int column, string text, bool formula) =>
        text.Length > 0 || formula ? new XlsxCell(column, XlsxValueKind.Text, text, 0) : null;

    /// <summary>A date, when the serial is one (-657435 ≤ serial &lt; 2958466, years 100–9999); a number otherwise.</summary>
    private static XlsxCell Date(int column, double serial) =>
        new(column, serial is >= -657_435 and < 2_958_466 ? XlsxValueKind.Date : XlsxValueKind.Number, null, serial);

    /// <summary>A boolean cell's value: <c>0</c> or <c>false</c> is false; <c>1</c>, <c>true</c> or any other text is true.</summary>
    private static bool IsTrue(string value) =>
        bool.TryParse(value, out var b) ? b : value.Length > 0 && value != "0";

    private bool ReadWorkbook(string part, List<(string Id, string Type, string Target)> relationships, List<string> names)
    {
        var date1904 = false;
        using var reader = OpenXml(part);
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (IsMain(reader, "workbookPr"))
            {
                date1904 = reader.GetAttribute("date1904") is "1" or "true";
            }
            else if (IsMain(reader, "sheet"))
            {
                var name = reader.GetAttribute("name") ?? throw new InvalidDataException("a sheet of the workbook has no name");
                var id = reader.GetAttribute("id", RelationshipsTransitional) ?? reader.GetAttribute("id", RelationshipsStrict);
                var target = relationships.FirstOrDefault(r => r.Id == id);
                if (target.Target is not null && IsType(target.Type, "worksheet") && _sheetParts.TryAdd(name, target.Target))
                {
                    names.Add(name);
                }
            }
        }

        return date1904;
    }

    private void ReadSharedStrings(string part)
    {
        using var reader = OpenXml(part);
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && IsMain(reader, "si"))
            {
                _sharedStrings.Add(ReadStringItem(reader)); // moves past the item
            }
            else
            {
                reader.Read();
            }
        }
    }

    /// <summary>The number format of every cell style (<c>cellXfs</c>), as the kind of value a number in it is.</summary>
    private void ReadStyles(string part)
    {
        var codes = new Dictionary<int, string>();
        var formats = new List<int>();
        using (var reader = OpenXml(part))
        {
            // styleSheet (depth 0) / numFmts, cellXfs … (1) / numFmt, xf (2)
            string? section = null;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.Depth == 1)
                {
                    section = reader.IsEmptyElement || reader.NamespaceURI is not (MainTransitional or MainStrict) ? null : reader.LocalName;
                }
                else if (reader.Depth == 2 && section == "numFmts" && IsMain(reader, "numFmt")
                    && int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    && reader.GetAttribute("formatCode") is { Length: > 0 } code)
                {
                    codes[id] = code;
                }
                else if (reader.Depth == 2 && section == "cellXfs" && IsMain(reader, "xf"))
                {
                    formats.Add(int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var format) ? format : 0);
                }
            }
        }

        foreach (var format in formats)
        {
            _styleKinds.Add(codes.TryGetValue(format, out var code) ? KindOfFormat(code) : KindOfFormat(format));
        }
    }

    private static XlsxValueKind KindOfFormat(int id) => id switch
    {
        46 => XlsxValueKind.Time,
        (>= 14 and <= 22) or (>= 45 and <= 47) => XlsxValueKind.Date,
        49 => XlsxValueKind.Text,
        _ => XlsxValueKind.Number,
    };

    /// <summary>A custom format is a date format when a date or time letter comes before any digit placeholder.</summary>
    private static XlsxValueKind KindOfFormat(string code)
    {
        for (var i = 0; i < code.Length; i++)
        {
            switch (char.ToLowerInvariant(code[i]))
            {
                case '"':
                    var close = code.IndexOf('"', i + 1);
                    i = close < 0 ? code.Length : close;
                    break;
                case '\\' or '_' or '*':
                    i++; // the next character is literal, a width or a fill
                    break;
                case '[':
                    var end = code.IndexOf(']', i + 1);
                    var section = end < 0 ? code[(i + 1)..] : code[(i + 1)..end];
                    if (section.Length > 0 && section.All(c => char.ToLowerInvariant(c) is 'h' or 'm' or 's'))
                    {
                        return XlsxValueKind.Date; // elapsed time, [h]:mm
                    }

                    i = end < 0 ? code.Length : end;
                    break;
                case '0' or '#' or '?':
                    return XlsxValueKind.Number;
                case 'y' or 'm' or 'd' or 'h' or 's':
                    return XlsxValueKind.Date;
                default:
                    break;
            }
        }

        return XlsxValueKind.Number;
    }

    /// <summary>The text of a rich or plain string item (<c>si</c> or <c>is</c>) the reader is on, to its end; phonetic runs left out.</summary>
    private string ReadStringItem(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return "";
        }

        var depth = reader.Depth;
        var text = new StringBuilder();
        reader.Read();
        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element && IsMain(reader, "t"))
            {
                text.Append(ReadText(reader));
                if (text.Length > _limits.MaxCellChars)
                {
                    throw Malformed(reader, $"a string holds more than {_limits.MaxCellChars} characters");
                }
            }
            else if (reader.NodeType == XmlNodeType.Element && IsMain(reader, "rPh"))
            {
                reader.Skip();
            }
            else
            {
                reader.Read();
            }
        }

        reader.Read();
        return Decode(text.ToString());
    }

    /// <summary>The text of the element the reader is on, to its end, in chunks: no more than <see cref="XlsxLimits.MaxCellChars"/> characters are ever held.</summary>
    private string ReadText(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return "";
        }

        var depth = reader.Depth;
        var text = _text.Clear();
        var chunk = _chunk;
        reader.Read();
        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                int read;
                while ((read = reader.ReadValueChunk(chunk, 0, chunk.Length)) > 0)
                {
                    if (text.Length + read > _limits.MaxCellChars)
                    {
                        throw Malformed(reader, $"a cell holds more than {_limits.MaxCellChars} characters");
                    }

                    text.Append(chunk, 0, read);
                }
            }
            else if (reader.NodeType == XmlNodeType.Element)
            {
                throw Malformed(reader, $"a value holds an element <{reader.Name}>");
            }

            reader.Read();
        }

        reader.Read(); // past the end element
        return text.ToString();
    }

    /// <summary>A malformed or oversized part, saying where in its XML.</summary>
    private static InvalidDataException Malformed(XmlReader reader, string reason) =>
        new(reader is IXmlLineInfo { LineNumber: > 0 } info
            ? string.Create(CultureInfo.InvariantCulture, $"{reason} (XML line {info.LineNumber}, position {info.LinePosition})")
            : reason);

    /// <summary>Decodes the escapes <c>_xHHHH_</c> of a string (<c>ST_Xstring</c>, ECMA-376 Part 1); <c>_x005F_</c> is the underscore.</summary>
    private static string Decode(string text)
    {
        if (!text.Contains("_x", StringComparison.Ordinal))
        {
            return text;
        }

        var decoded = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '_' && i + 6 < text.Length && text[i + 1] == 'x' && text[i + 6] == '_'
                && int.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                decoded.Append((char)code);
                i += 6;
            }
            else
            {
                decoded.Append(text[i]);
            }
        }

        return decoded.ToString();
    }

    /// <summary>The relationships of a part (<c>folder/_rels/name.rels</c>), targets resolved to part names; none when it has no such part.</summary>
    private List<(string Id, string Type, string Target)> Relationships(string folder, string name)
    {
        var relationships = new List<(string, string, string)>();
        var part = (folder.Length == 0 ? "" : folder + "/") + "_rels/" + name + ".rels";
        if (!Exists(part))
        {
            return relationships;
        }

        using var reader = OpenXml(part);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.NamespaceURI == PackageRelationships
                && reader.GetAttribute("TargetMode") is null or "Internal"
                && reader.GetAttribute("Id") is { } id && reader.GetAttribute("Type") is { } type && reader.GetAttribute("Target") is { } target)
            {
                relationships.Add((id, type, Resolve(folder, target)));
            }
        }

        return relationships;
    }

    /// <summary>A relationship's target as a part name: absolute (<c>/xl/…</c>) or relative to the source's folder, with <c>..</c> and escapes resolved.</summary>
    private static string Resolve(string folder, string target)
    {
        var path = Uri.UnescapeDataString(target).Replace('\\', '/');
        var segments = new List<string>(path.StartsWith('/') || folder.Length == 0 ? [] : folder.Split('/'));
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments);
    }

    private static string Folder(string part) => part.LastIndexOf('/') is var slash and >= 0 ? part[..slash] : "";

    /// <summary>Whether a relationship type is the transitional or strict one of that name.</summary>
    private static bool IsType(string type, string name) =>
        type == RelationshipsTransitional + "/" + name || type == RelationshipsStrict + "/" + name;

    private bool Exists(string part) => _entries.ContainsKey(part);

    private XmlReader OpenXml(string part, long? limit = null)
    {
        var entry = _entries.GetValueOrDefault(part) ?? throw new InvalidDataException($"the workbook has no part '{part}'");
        return XmlReader.Create(new BoundedStream(entry.Open(), part, limit ?? _limits.MaxPartBytes), Settings);
    }

    /// <summary>
    /// A part's inflated bytes, refused beyond a limit: a zip's sizes are what it claims, so the bytes
    /// are counted as they are inflated.
    /// </summary>
    private sealed class BoundedStream(Stream inner, string part, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            _read += read;
            return _read > limit
                ? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"the part '{part}' inflates to more than {limit >> 20} MiB, the most the engine reads (docs/model-format.md §1.2); give the table as CSV or Parquet"))
                : read;
        }
    }

    private static bool IsMain(XmlReader reader, string name) =>
        reader.LocalName == name && reader.NamespaceURI is MainTransitional or MainStrict;

    private static bool MoveToElement(XmlReader reader, string name)
    {
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && IsMain(reader, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The column of a cell reference (<c>B7</c> → 2).</summary>
    private static int ColumnOf(XmlReader reader, string reference)
    {
        var column = 0;
        var i = 0;
        for (; i < reference.Length && char.IsAsciiLetter(reference[i]); i++)
        {
            column = (column * 26) + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
            if (column > MaxColumn)
            {
                break;
            }
        }

        return i == 0 || column > MaxColumn ? throw Malformed(reader, $"'{Shown(reference)}' is not a cell reference (A1 to XFD1048576)") : column;
    }

    private static int ParseIndex(XmlReader reader, string text, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index > 0
            ? index
            : throw Malformed(reader, $"'{Shown(text)}' is not a {what} number");

    /// <summary>At most 40 characters of a value for a message.</summary>
    private static string Shown(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
