namespace ItDrift.Tbm.Ingest.Sie;

/// <summary>
/// The <c>#KSUMMA</c> CRC-32 of SIE 4B chapter 10: generator polynomial EDB88320h (reflected), started at
/// FFFFFFFFh and bit-inverted at the end, the same CRC-32 as zip and PNG. The BCL's
/// <c>System.IO.Hashing.Crc32</c> is a separate package, so the table-driven loop of the spec is here.
/// </summary>
internal struct SieChecksum
{
    private static readonly uint[] Table = BuildTable();

    private uint _crc;

    public static SieChecksum Start() => new() { _crc = 0xFFFFFFFFu };

    public void Add(ReadOnlySpan<byte> bytes)
    {
        var crc = _crc;
        var table = Table;
        foreach (var b in bytes)
        {
            crc = (crc >> 8) ^ table[(crc ^ b) & 0xFF];
        }

        _crc = crc;
    }

    public readonly uint Value => ~_crc;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var crc = i;
            for (var j = 0; j < 8; j++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }

            table[i] = crc;
        }

        return table;
    }
}
