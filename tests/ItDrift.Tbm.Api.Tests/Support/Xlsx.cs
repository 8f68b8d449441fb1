using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ItDrift.Tbm.Tests.Support;

/// <summary>
/// An independent reader of .xlsx files for the tests: the zip and the SpreadsheetML XML read directly
/// (no ClosedXML, no SpreadCheetah), so a workbook is checked as any spreadsheet program would see it:
/// cell values (formulas' stored results included), formulas, number formats, frozen panes, page setup.
/// Also a small evaluator of the formulas the workbooks use, to check their results independently.
/// </summary>
internal sealed partial class Xlsx
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    private readonly Dictionary<string, Sheet> _sheets = new(StringComparer.Ordinal);

    private Xlsx()
    {
    }

    public IReadOnlyList<string> SheetNames { get; private set; } = [];

    public Sheet this[string name] => _sheets[name];

    public static Xlsx Read(byte[] bytes)
    {
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        XDocument Part(string path) => XDocument.Load(zip.GetEntry(path.TrimStart('/'))!.Open());

        var shared = zip.GetEntry("xl/sharedStrings.xml") is null
            ? []
            : Part("xl/sharedStrings.xml").Root!.Elements(Main + "si").Select(si => string.Concat(si.Descendants(Main + "t").Select(t => t.Value))).ToList();
        var styles = Part("xl/styles.xml").Root!;
        var formats = styles.Element(Main + "numFmts")?.Elements(Main + "numFmt")
            .ToDictionary(f => (int)f.Attribute("numFmtId")!, f => (string)f.Attribute("formatCode")!) ?? [];
        var cellFormats = styles.Element(Main + "cellXfs")!.Elements(Main + "xf")
            .Select(xf => (int?)xf.Attribute("numFmtId") ?? 0)
            .Select(id => formats.TryGetValue(id, out var code) ? code : id.ToString(CultureInfo.InvariantCulture))
            .ToList();

        var workbook = Part("xl/workbook.xml").Root!;
        var rels = Part("xl/_rels/workbook.xml.rels").Root!.Elements(PackageRelationships + "Relationship")
            .ToDictionary(r => (string)r.Attribute("Id")!, r => (string)r.Attribute("Target")!);
        var result = new Xlsx();
        var names = new List<string>();
        foreach (var sheet in workbook.Element(Main + "sheets")!.Elements(Main + "sheet"))
        {
            var name = (string)sheet.Attribute("name")!;
            var target = rels[(string)sheet.Attribute(Relationships + "id")!];
            var path = target.StartsWith('/') ? target : "xl/" + target;
            var xml = Part(path).Root!;
            var cells = new Dictionary<string, Cell>(StringComparer.Ordinal);
            var rowNumber = 0;
            foreach (var row in xml.Descendants(Main + "row"))
            {
                rowNumber = (int?)row.Attribute("r") ?? rowNumber + 1;
                var column = 0;
                foreach (var c in row.Elements(Main + "c"))
                {
                    var address = (string?)c.Attribute("r") ?? Address(column + 1, rowNumber);
                    column = ColumnNumber(address);
                    var type = (string?)c.Attribute("t") ?? "n";
                    var raw = c.Element(Main + "v")?.Value;
                    var value = type switch
                    {
                        "s" => raw is null ? null : shared[int.Parse(raw, CultureInfo.InvariantCulture)],
                        "inlineStr" => string.Concat(c.Element(Main + "is")!.Descendants(Main + "t").Select(t => t.Value)),
                        _ => raw,
                    };
                    var style = (int?)c.Attribute("s") ?? 0;
                    cells[address] = new Cell(address, value, c.Element(Main + "f")?.Value, type, cellFormats[style]);
                }
            }

            result._sheets[name] = new Sheet(name, cells, xml, result);
            names.Add(name);
        }

        result.SheetNames = names;
        return result;
    }

    public static string Address(int column, int row) => ColumnLetters(column) + row.ToString(CultureInfo.InvariantCulture);

    public static string ColumnLetters(int column)
    {
        var letters = "";
        for (; column > 0; column = (column - 1) / 26)
        {
            letters = (char)('A' + ((column - 1) % 26)) + letters;
        }

        return letters;
    }

    private static int ColumnNumber(string address)
    {
        var n = 0;
        foreach (var ch in address.TakeWhile(char.IsLetter))
        {
            n = (n * 26) + (ch - 'A' + 1);
        }

        return n;
    }

    /// <summary>A cell: its text as stored (a formula's stored result for a formula cell), its formula, type and number format code.</summary>
    public sealed record Cell(string Address, string? Value, string? Formula, string Type, string NumberFormat)
    {
        public decimal Number => decimal.Parse(Value!, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>A worksheet.</summary>
    public sealed class Sheet(string name, Dictionary<string, Cell> cells, XElement xml, Xlsx book)
    {
        public string Name { get; } = name;

        public IReadOnlyDictionary<string, Cell> Cells { get; } = cells;

        public XElement Xml { get; } = xml;

        public Cell? this[string address] => Cells.GetValueOrDefault(address);

        /// <summary>The rows frozen at the top (from the pane's ySplit; state frozen, or frozenSplit as ClosedXML writes it), 0 when none.</summary>
        public int FrozenRows => (int?)Xml.Descendants(Main + "pane").FirstOrDefault(p => (string?)p.Attribute("state") is "frozen" or "frozenSplit")?.Attribute("ySplit") ?? 0;

        public XElement? PageSetup => Xml.Element(Main + "pageSetup");

        /// <summary>The first cell whose text is <paramref name="text"/>.</summary>
        public Cell? Find(string text) => Cells.Values.Where(c => c.Value == text).OrderBy(c => RowOf(c.Address)).ThenBy(c => ColumnNumber(c.Address)).FirstOrDefault();

        public static int RowOf(string address) => int.Parse(address.SkipWhile(char.IsLetter).ToArray(), CultureInfo.InvariantCulture);

        public static string ColumnOf(string address) => new([.. address.TakeWhile(char.IsLetter)]);

        /// <summary>
        /// Evaluates a cell independently of the stored result: a number, or a formula of the forms the
        /// workbooks use (SUM over a range, + and − of references, products, ABS, ROUND, references to other sheets).
        /// </summary>
        public decimal Evaluate(string address)
        {
            var cell = this[address];
            if (cell is null)
            {
                return 0m;
            }

            return cell.Formula is { } formula ? book.EvaluateFormula(this, formula) : cell.Value is null || cell.Type is "s" or "inlineStr" or "str" ? 0m : cell.Number;
        }
    }

    [GeneratedRegex(@"^SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$")]
    private static partial Regex SumRange();

    [GeneratedRegex(@"^(?:'((?:[^']|'')+)'!)?\$?([A-Z]+)\$?(\d+)$")]
    private static partial Regex Reference();

    private decimal EvaluateFormula(Sheet sheet, string formula)
    {
        formula = formula.Trim();
        if (SumRange().Match(formula) is { Success: true } sum)
        {
            var total = 0m;
            var (fromColumn, toColumn) = (ColumnNumber(sum.Groups[1].Value), ColumnNumber(sum.Groups[3].Value));
            for (var column = fromColumn; column <= toColumn; column++)
            {
                for (var row = int.Parse(sum.Groups[2].Value, CultureInfo.InvariantCulture); row <= int.Parse(sum.Groups[4].Value, CultureInfo.InvariantCulture); row++)
                {
                    total += sheet.Evaluate(Address(column, row));
                }
            }

            return total;
        }

        if (formula.StartsWith("ABS(", StringComparison.Ordinal) && formula.EndsWith(')'))
        {
            return Math.Abs(EvaluateFormula(sheet, formula[4..^1]));
        }

        // ROUND(expression,digits), half away from zero as Excel rounds
        if (formula.StartsWith("ROUND(", StringComparison.Ordinal) && formula.EndsWith(')'))
        {
            var comma = formula.LastIndexOf(',');
            return decimal.Round(EvaluateFormula(sheet, formula[6..comma]), int.Parse(formula[(comma + 1)..^1], CultureInfo.InvariantCulture), MidpointRounding.AwayFromZero);
        }

        // a+b-c over references and numbers (no parentheses in the workbooks' own formulas)
        var terms = new List<(int Sign, string Term)>();
        var sign = 1;
        var start = 0;
        var quoted = false;
        for (var i = 0; i <= formula.Length; i++)
        {
            if (i < formula.Length && formula[i] == '\'')
            {
                quoted = !quoted;
            }

            if (i == formula.Length || (!quoted && i > start && formula[i] is '+' or '-'))
            {
                terms.Add((sign, formula[start..i]));
                if (i < formula.Length)
                {
                    sign = formula[i] == '-' ? -1 : 1;
                }

                start = i + 1;
            }
        }

        return terms.Sum(t => t.Sign * Term(sheet, t.Term.Trim()));
    }

    private decimal Term(Sheet sheet, string term)
    {
        if (!term.Contains('\'', StringComparison.Ordinal) && term.Contains('*', StringComparison.Ordinal))
        {
            return term.Split('*').Aggregate(1m, (product, factor) => product * Term(sheet, factor.Trim()));
        }

        if (decimal.TryParse(term, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var reference = Reference().Match(term);
        if (!reference.Success)
        {
            throw new NotSupportedException($"the test evaluator does not know the formula term '{term}'");
        }

        var target = reference.Groups[1].Success ? _sheets[reference.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal)] : sheet;
        return target.Evaluate(reference.Groups[2].Value + reference.Groups[3].Value);
    }
}
