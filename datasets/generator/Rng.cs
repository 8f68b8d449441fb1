namespace ItDrift.Tbm.Datasets;

/// <summary>
/// xoshiro256** (Blackman, Vigna 2018) seeded through SplitMix64: a small generator whose sequence is a
/// contract, so a seed names one package on every machine and runtime (System.Random's algorithm is not).
/// </summary>
/// <remarks>
/// Every part of a package draws from its own stream (<see cref="For(int, ulong, long, long)"/>), so a
/// change in how one table is drawn never shifts another, and chunks of the ledger (one fiscal year and
/// period each) can later be generated independently and in parallel. Only integer arithmetic is used:
/// floating-point library functions are not guaranteed to round alike on every platform.
/// </remarks>
internal sealed class Rng
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    private Rng(ulong seed)
    {
        var state = seed;
        _s0 = SplitMix(ref state);
        _s1 = SplitMix(ref state);
        _s2 = SplitMix(ref state);
        _s3 = SplitMix(ref state);
    }

    /// <summary>The stream <paramref name="stream"/> (optionally refined by two numbers, e.g. year and period) of a seed.</summary>
    public static Rng For(int seed, ulong stream, long a = 0, long b = 0)
    {
        unchecked
        {
            var state = (ulong)seed;
            var mixed = SplitMix(ref state) ^ stream;
            state = mixed;
            mixed = SplitMix(ref state) ^ (ulong)a;
            state = mixed;
            mixed = SplitMix(ref state) ^ (ulong)b;
            state = mixed;
            return new Rng(SplitMix(ref state));
        }
    }

    public ulong NextUInt64()
    {
        unchecked
        {
            var result = RotateLeft(_s1 * 5, 7) * 9;
            var t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = RotateLeft(_s3, 45);
            return result;
        }
    }

    /// <summary>A value in [0, <paramref name="n"/>), without modulo bias (Lemire's multiply-and-reject).</summary>
    public long Below(long n)
    {
        if (n <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        }

        unchecked
        {
            var range = (ulong)n;
            var threshold = (0UL - range) % range;
            while (true)
            {
                var product = (UInt128)NextUInt64() * range;
                if ((ulong)product >= threshold)
                {
                    return (long)(ulong)(product >> 64);
                }
            }
        }
    }

    /// <summary>A value in [<paramref name="low"/>, <paramref name="high"/>], both inclusive.</summary>
    public long Between(long low, long high) => low + Below(high - low + 1);

    /// <summary>Two uniform draws averaged: a triangular distribution on [<paramref name="low"/>, <paramref name="high"/>] peaking in the middle.</summary>
    public long Triangular(long low, long high) => (Between(low, high) + Between(low, high)) / 2;

    /// <summary>True with probability <paramref name="ppm"/> parts per million.</summary>
    public bool Chance(long ppm) => Below(1_000_000) < ppm;

    /// <summary>Scales <paramref name="value"/> by a factor drawn in [<paramref name="lowPpm"/>, <paramref name="highPpm"/>] parts per million, truncating.</summary>
    public long Scale(long value, long lowPpm, long highPpm) => Ppm(value, Between(lowPpm, highPpm));

    /// <summary><paramref name="value"/> × <paramref name="ppm"/> / 10^6 in 128-bit arithmetic, truncated toward zero.</summary>
    public static long Ppm(long value, long ppm) => (long)((Int128)value * ppm / 1_000_000);

    /// <summary>FNV-1a of a name, for naming streams in code without magic numbers.</summary>
    public static ulong Stream(string name)
    {
        unchecked
        {
            var hash = 14695981039346656037UL;
            foreach (var c in name)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            return hash;
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
