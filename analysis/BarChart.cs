using System.Globalization;
using System.Net;
using System.Text;

namespace ItDrift.Tbm.Analysis;

/// <summary>
/// A horizontal bar chart as SVG, for a notebook cell where a person would rather look than read: one bar a
/// label, the figure beside it in Swedish format, a title and a description for screen readers. Negative
/// values draw to the left of a zero line.
/// </summary>
/// <remarks>
/// A few lines of SVG rather than a charting package: the notebook renders it with <c>display(HTML(chart.Svg))</c>
/// and it needs no script, no network and nothing but the text it is.
/// </remarks>
public sealed class BarChart
{
    private const int Width = 640;
    private const int LabelWidth = 200;
    private const int ValueWidth = 130;
    private const int BarHeight = 18;
    private const int Gap = 6;
    private const int Top = 30;

    private static readonly NumberFormatInfo Swedish = CreateSwedish();

    /// <summary>Draws a chart.</summary>
    /// <param name="title">Its title.</param>
    /// <param name="bars">Label and value per bar, in the order drawn.</param>
    /// <param name="unit">The unit written after each figure (<c>kr</c>, <c>kr/VM</c> …).</param>
    public BarChart(string title, IEnumerable<(string Label, decimal Value)> bars, string unit = "kr")
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(bars);
        Title = title;
        Bars = [.. bars];
        Unit = unit;
    }

    /// <summary>The title.</summary>
    public string Title { get; }

    /// <summary>The bars, in order.</summary>
    public IReadOnlyList<(string Label, decimal Value)> Bars { get; }

    /// <summary>The unit of the figures.</summary>
    public string Unit { get; }

    /// <summary>The chart as an SVG element.</summary>
    public string Svg
    {
        get
        {
            var height = Top + (Bars.Count * (BarHeight + Gap)) + Gap;
            var max = Bars.Select(b => Math.Abs(b.Value)).DefaultIfEmpty(0m).Max();
            var hasNegative = Bars.Any(b => b.Value < 0);
            var plot = Width - LabelWidth - ValueWidth;
            var zero = LabelWidth + (hasNegative ? plot / 2 : 0);
            var scale = max == 0 ? 0m : (hasNegative ? plot / 2 : plot) / max;
            var svg = new StringBuilder();
            svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{Width}" height="{height}" viewBox="0 0 {Width} {height}" aria-labelledby="t d" font-family="sans-serif" font-size="12">""");
            svg.Append(CultureInfo.InvariantCulture, $"""<title id="t">{Text(Title)}</title><desc id="d">{Text(string.Join("; ", Bars.Select(b => $"{b.Label}: {Figure(b.Value)}")))}</desc>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="0" y="16" font-weight="bold">{Text(Title)}</text>""");
            for (var i = 0; i < Bars.Count; i++)
            {
                var (label, value) = Bars[i];
                var y = Top + (i * (BarHeight + Gap));
                var length = (int)Math.Round(Math.Abs(value) * scale, MidpointRounding.AwayFromZero);
                var x = value < 0 ? zero - length : zero;
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{LabelWidth - 6}" y="{y + 13}" text-anchor="end">{Text(label)}</text>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x}" y="{y}" width="{length}" height="{BarHeight}" fill="{(value < 0 ? "#a33" : "#2b5d8a")}"/>""");
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width - 4}" y="{y + 13}" text-anchor="end">{Text(Figure(value))}</text>""");
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{zero}" y1="{Top - 4}" x2="{zero}" y2="{height - Gap}" stroke="#333"/></svg>""");
            return svg.ToString();
        }
    }

    /// <summary>The SVG.</summary>
    public override string ToString() => Svg;

    /// <summary>A figure in Swedish format with the unit: <c>1 234 567,89 kr</c>.</summary>
    private string Figure(decimal value) => value.ToString("#,##0.00", Swedish) + " " + Unit;

    private static string Text(string text) => WebUtility.HtmlEncode(text);

    private static NumberFormatInfo CreateSwedish()
    {
        // Not CultureInfo("sv-SE"): it is missing under invariant globalization, and its group separator
        // (a no-break space) and minus (U+2212) differ between ICU versions.
        var format = (NumberFormatInfo)NumberFormatInfo.InvariantInfo.Clone();
        format.NumberGroupSeparator = "\u00a0";
        format.NumberDecimalSeparator = ",";
        format.NegativeSign = "-";
        return NumberFormatInfo.ReadOnly(format);
    }
}
