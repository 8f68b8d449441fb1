using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ItDrift.Tbm.Jobs.Cli;

/// <summary>
/// The kinds of option the commands take — folders, files, whole numbers, choices, flags — each parsed and
/// checked one way, with one kind of message, so that every command says a wrong value alike.
/// </summary>
internal static class CliOptions
{
    /// <summary>A folder (<c>DIR</c>); with <paramref name="fallback"/>, its default.</summary>
    public static Option<DirectoryInfo> Folder(string name, string description, bool required = false, string? fallback = null)
    {
        var option = new Option<DirectoryInfo>(name) { Description = description, HelpName = "DIR", Required = required };
        option.Validators.Add(r => NotA(r, name, isFolder: false));
        if (fallback is not null)
        {
            option.DefaultValueFactory = _ => new DirectoryInfo(fallback);
        }

        return option;
    }

    /// <summary>A file (<c>FILE</c>); with <paramref name="fallback"/>, its default.</summary>
    public static Option<FileInfo> File(string name, string description, bool required = false, string? fallback = null)
    {
        var option = new Option<FileInfo>(name) { Description = description, HelpName = "FILE", Required = required };
        option.Validators.Add(r => NotA(r, name, isFolder: true));
        if (fallback is not null)
        {
            option.DefaultValueFactory = _ => new FileInfo(fallback);
        }

        return option;
    }

    /// <summary>A word or text, shown in the help as <paramref name="helpName"/>.</summary>
    public static Option<string> Text(string name, string helpName, string description, bool required = false, string? fallback = null)
    {
        var option = new Option<string>(name) { Description = description, HelpName = helpName, Required = required };
        if (fallback is not null)
        {
            option.DefaultValueFactory = _ => fallback;
        }

        return option;
    }

    /// <summary>An option that takes no value.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>; <see langword="null"/> when not given.</summary>
    public static Option<int?> OptionalNumber(string name, string helpName, string description, int min = 0, int max = int.MaxValue, bool required = false) =>
        new(name) { Description = description, HelpName = helpName, Required = required, CustomParser = r => ParseNumber(r, name, min, max) };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, <paramref name="fallback"/> when not given.</summary>
    public static Option<int> Number(string name, string helpName, string description, int fallback, int min = 0, int max = int.MaxValue) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => fallback,
            CustomParser = r => ParseNumber(r, name, min, max) ?? fallback,
        };

    /// <summary>The least memory limit a run of even a small package works in (DuckDB fails below about 16 MB).</summary>
    public const long LeastMemory = 64_000_000;

    /// <summary>
    /// A size in DuckDB's units (<c>512MB</c>, <c>4GB</c>, <c>2GiB</c>; any case, a space allowed), at least
    /// <see cref="LeastMemory"/>; the value is the size as DuckDB spells it.
    /// </summary>
    public static Option<string> MemorySize(string name, string description) =>
        new(name) { Description = description, HelpName = "SIZE", CustomParser = r => ParseSize(r, name) };

    /// <summary>
    /// One of <paramref name="choices"/> (any case; the value is the choice as written here), offered by the
    /// shell's completion; with <paramref name="fallback"/>, its default.
    /// </summary>
    public static Option<string> Choice(string name, string description, IReadOnlyCollection<string> choices, string? fallback = null)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', choices),
            CustomParser = r => Chosen(r, name, choices),
        };
        if (fallback is not null)
        {
            option.DefaultValueFactory = _ => fallback;
        }

        option.CompletionSources.Add([.. choices]);
        return option;
    }

    /// <summary>An argument that is one of <paramref name="choices"/>, like <see cref="Choice"/>.</summary>
    public static Argument<string> ChoiceArgument(string name, string description, IReadOnlyCollection<string> choices)
    {
        var argument = new Argument<string>(name) { Description = description, CustomParser = r => Chosen(r, name, choices) };
        argument.CompletionSources.Add([.. choices]);
        return argument;
    }

    /// <summary>The path as it was written (relative stays relative), or <see langword="null"/> when the option was not given.</summary>
    public static string? PathOf(this ParseResult result, Option<DirectoryInfo> option) => result.GetValue(option)?.ToString();

    /// <inheritdoc cref="PathOf(ParseResult, Option{DirectoryInfo})"/>
    public static string? PathOf(this ParseResult result, Option<FileInfo> option) => result.GetValue(option)?.ToString();

    /// <summary>The path of an option that is required or has a default.</summary>
    public static string RequiredPath(this ParseResult result, Option<DirectoryInfo> option) => result.GetRequiredValue(option).ToString();

    /// <inheritdoc cref="RequiredPath(ParseResult, Option{DirectoryInfo})"/>
    public static string RequiredPath(this ParseResult result, Option<FileInfo> option) => result.GetRequiredValue(option).ToString();

    /// <summary>Whether the option was written on the command line (not just defaulted).</summary>
    public static bool Given(this SymbolResult result, Option option) => result.GetResult(option) is { Implicit: false };

    /// <summary>Says <c>--a and --b exclude each other</c> when both are given.</summary>
    public static void Exclusive(this CommandResult result, Option a, Option b, string? why = null)
    {
        if (result.Given(a) && result.Given(b))
        {
            result.AddError($"{a.Name} and {b.Name} exclude each other{why}");
        }
    }

    /// <summary>
    /// A folder given where a file is meant, or a file where a folder is meant: said before the command starts
    /// (the file system would say it later as an <see cref="IOException"/> about some path the command made).
    /// </summary>
    private static void NotA(OptionResult result, string name, bool isFolder)
    {
        if (result.Tokens.Count == 0 || result.Tokens[0].Value is not { Length: > 0 } path)
        {
            return;
        }

        if (isFolder && Directory.Exists(path))
        {
            result.AddError($"{name} names the folder '{path}'; it takes a file");
        }
        else if (!isFolder && System.IO.File.Exists(path))
        {
            result.AddError($"{name} names the file '{path}'; it takes a folder");
        }
    }

    private static int? ParseNumber(ArgumentResult result, string name, int min, int max)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        var range = max == int.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $" ≥ {min}")
            : string.Create(CultureInfo.InvariantCulture, $" from {min} to {max}");
        result.AddError($"{name} takes a whole number{range}, not '{text}'");
        return null;
    }

    private static readonly (string Unit, long Bytes)[] SizeUnits =
        [("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000), ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40)];

    private static string? ParseSize(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        var trimmed = text.Trim();
        var digits = trimmed.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        var unit = SizeUnits.FirstOrDefault(u => string.Equals(u.Unit, trimmed[digits..].Trim(), StringComparison.OrdinalIgnoreCase));
        if (digits > 0 && unit.Unit is not null
            && decimal.TryParse(trimmed[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            && number <= 1_000_000 && number * unit.Bytes >= LeastMemory)
        {
            return trimmed[..digits] + unit.Unit;
        }

        result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} takes a size of at least {LeastMemory / 1_000_000}MB, such as 512MB, 4GB or 2GiB, not '{text}'"));
        return null;
    }

    private static string Chosen(ArgumentResult result, string name, IReadOnlyCollection<string> choices)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (choices.FirstOrDefault(c => string.Equals(c, text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } chosen)
        {
            return chosen;
        }

        result.AddError($"{name} takes {Either(choices)}, not '{text}'");
        return "";
    }

    /// <summary><c>a</c>, <c>a or b</c>, <c>a, b or c</c>.</summary>
    public static string Either(IReadOnlyCollection<string> words) =>
        words.Count <= 1 ? string.Join("", words) : string.Join(", ", words.Take(words.Count - 1)) + " or " + words.Last();
}

/// <summary><c>--memory-limit</c> and <c>--temp-dir</c>: how much of the machine DuckDB may use.</summary>
internal sealed class EngineOptions
{
    private readonly Option<string> _memoryLimit = CliOptions.MemorySize("--memory-limit", "DuckDB's memory limit, e.g. 4GB (default: DuckDB's own, 80 % of the memory)");
    private readonly Option<DirectoryInfo> _tempDir = CliOptions.Folder("--temp-dir", "Where DuckDB spills to disk when memory runs short (default: DuckDB's own)");

    public EngineOptions(Command command)
    {
        command.Options.Add(_memoryLimit);
        command.Options.Add(_tempDir);
    }

    public EngineSettings Settings(ParseResult result) => new(result.GetValue(_memoryLimit), result.PathOf(_tempDir));
}

/// <summary><c>--accept-unbalanced</c>, <c>--accept-checksum</c>, <c>--accept-unknown-accounts</c>: what of a SIE file is a warning, not an error.</summary>
internal sealed class SieOptions
{
    private readonly Option<bool> _unbalanced = CliOptions.Flag("--accept-unbalanced", "(SIE) read vouchers that do not balance as a warning, not a model error");
    private readonly Option<bool> _checksum = CliOptions.Flag("--accept-checksum", "(SIE) read a file whose #KSUMMA is wrong as a warning, not a model error");
    private readonly Option<bool> _unknownAccounts = CliOptions.Flag("--accept-unknown-accounts", "(SIE) read accounts the file does not declare as a warning, not a model error");

    public SieOptions(Command command)
    {
        command.Options.Add(_unbalanced);
        command.Options.Add(_checksum);
        command.Options.Add(_unknownAccounts);
    }

    public Ingest.SieAcceptance Acceptance(ParseResult result) => new(result.GetValue(_unbalanced), result.GetValue(_checksum), result.GetValue(_unknownAccounts));
}
