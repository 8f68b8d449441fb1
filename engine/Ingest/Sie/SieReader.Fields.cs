using System.Globalization;

namespace ItDrift.Tbm.Ingest.Sie;

internal sealed partial class SieReader
{
    private ObjectRef[] _objects = new ObjectRef[8];
    private int _objectCount;
    private bool _damageReported;

    /// <summary>An object of the current line's object list: its dimension and the child field of its id.</summary>
    private struct ObjectRef
    {
        public int Dimension;
        public int Child;
    }

    private bool TryAmount(ReadOnlySpan<byte> line, int field, string record, out long amount)
    {
        amount = 0;
        if (_fields.Count <= field || _fields[field].Kind == SieFieldKind.List)
        {
            Issue(_lineNumber, record, "amount", SieIssueKind.MalformedField, SieSeverity.Error, "the amount is missing");
            return false;
        }

        var text = SieFields.Raw(line, _fields[field]);
        var error = SieNumbers.TryParseOre(text, out amount);
        if (error == SieAmountError.None)
        {
            return true;
        }

        var quoted = SieNumbers.Quote(text);
        Issue(_lineNumber, record, "amount", error == SieAmountError.TooManyDecimals ? SieIssueKind.TooManyDecimals : SieIssueKind.MalformedField, SieSeverity.Error, error switch
        {
            SieAmountError.Empty => "the amount is empty",
            SieAmountError.TooManyDecimals => $"amount {quoted} has more than two decimals (SIE 4B 5.9: at most two öre digits); it is not rounded",
            SieAmountError.TooLarge => $"amount {quoted} has more than 16 integer digits",
            _ => $"amount {quoted} is not a SIE amount: an optional minus, digits, and optionally a point and one or two decimals (SIE 4B 5.9)",
        });
        return false;
    }

    /// <summary>Reads an object list into <see cref="_objects"/>, sorted by dimension.</summary>
    private bool ReadObjects(ReadOnlySpan<byte> line, in SieField list, string record)
    {
        _objectCount = 0;
        if (_fields.BraceError)
        {
            Issue(_lineNumber, record, "objects", SieIssueKind.MalformedField, SieSeverity.Error,
                "the object list's braces do not pair up (SIE 4B 8.21: {dimension object dimension object …})");
            return false;
        }

        if (list.ChildCount % 2 != 0)
        {
            Issue(_lineNumber, record, "objects", SieIssueKind.MalformedField, SieSeverity.Error,
                Invariant($"the object list has {list.ChildCount} items; it must be pairs of dimension number and object id (SIE 4B 8.21)"));
            return false;
        }

        for (var i = 0; i < list.ChildCount; i += 2)
        {
            var child = list.ChildStart + i;
            ref readonly var dimensionField = ref _fields.Child(child);
            if (!SieNumbers.TryParseNatural(SieFields.Raw(line, dimensionField), out var dimension))
            {
                Issue(_lineNumber, record, "objects", SieIssueKind.MalformedField, SieSeverity.Error,
                    $"dimension {ChildQuote(line, dimensionField)} in the object list is not a dimension number");
                return false;
            }

            var at = _objectCount;
            var duplicate = false;
            while (at > 0 && _objects[at - 1].Dimension >= dimension)
            {
                if (_objects[at - 1].Dimension == dimension)
                {
                    duplicate = true;
                    break;
                }

                at--;
            }

            if (duplicate)
            {
                Issue(_lineNumber, record, "objects", SieIssueKind.DuplicateDimension, SieSeverity.Warning,
                    Invariant($"the object list names dimension {dimension} twice; the first object is used"));
                continue;
            }

            if (_objectCount == _objects.Length)
            {
                Array.Resize(ref _objects, _objects.Length * 2);
            }

            Array.Copy(_objects, at, _objects, at + 1, _objectCount - at);
            _objects[at] = new ObjectRef { Dimension = dimension, Child = child + 1 };
            _objectCount++;
        }

        return true;
    }

    /// <summary>Decodes the object of <paramref name="dimension"/> into the char scratch at <paramref name="position"/>.</summary>
    private ReadOnlySpan<char> WriteObject(ReadOnlySpan<byte> line, int dimension, ref int position)
    {
        for (var i = 0; i < _objectCount; i++)
        {
            if (_objects[i].Dimension == dimension)
            {
                ref readonly var id = ref _fields.Child(_objects[i].Child);
                var length = _decoder.Decode(SieFields.Value(line, id, ByteScratch(id.Length)), _chars.AsSpan(position));
                var written = _chars.AsSpan(position, length);
                position += length;
                return written;
            }
        }

        return [];
    }

    /// <summary>The dimensions other than 1 and 6 as <c>2=A;7=X</c>.</summary>
    private ReadOnlySpan<char> WriteOtherObjects(ReadOnlySpan<byte> line, ref int position)
    {
        var start = position;
        for (var i = 0; i < _objectCount; i++)
        {
            if (_objects[i].Dimension is not (1 or 6))
            {
                position = WritePair(line, i, position, start);
            }
        }

        return _chars.AsSpan(start, position - start);
    }

    /// <summary>Every object as <c>1=A;6=P</c>, for comparing an added row with its #TRANS.</summary>
    private ReadOnlySpan<char> WriteAllObjects(ReadOnlySpan<byte> line, int start)
    {
        var position = start;
        for (var i = 0; i < _objectCount; i++)
        {
            position = WritePair(line, i, position, start);
        }

        return _chars.AsSpan(start, position - start);
    }

    private int WritePair(ReadOnlySpan<byte> line, int index, int position, int start)
    {
        if (position > start)
        {
            _chars[position++] = ';';
        }

        _objects[index].Dimension.TryFormat(_chars.AsSpan(position), out var digits, default, CultureInfo.InvariantCulture);
        position += digits;
        _chars[position++] = '=';
        ref readonly var id = ref _fields.Child(_objects[index].Child);
        position += _decoder.Decode(SieFields.Value(line, id, ByteScratch(id.Length)), _chars.AsSpan(position));
        return position;
    }

    /// <summary>U+FFFD in decoded text means characters were lost before or while the file was read.</summary>
    private void CheckDamage(ReadOnlySpan<char> text)
    {
        if (_damageReported || !text.Contains('\uFFFD'))
        {
            return;
        }

        _damageReported = true;
        Issue(_lineNumber, "", "", SieIssueKind.EncodingDamaged, SieSeverity.Warning,
            _decoder.IsUtf8
                ? "the text holds U+FFFD replacement characters or invalid UTF-8: some letters were lost before the file reached us and cannot be recovered"
                : "the text holds characters the code page does not define");
    }
}
