#!/usr/bin/env bash
# Issue 15's comparison, measured in ONE run on the same machine: `tbm run` (the whole process, start-up
# included) on a scale-1 package as CSV and as Parquet, against DuckDB's read + GROUP BY of the same ledger
# file (the floor, in a fresh process; also timed inside it), and against the analyst's pandas script
# (benchmarks/pandas_baseline.py, checked to give the same fees.csv byte for byte).
#
#   benchmarks/vs-floor.sh [--runs N] [--out FILE]      (default 5 runs; markdown to FILE and stdout)
#
# The packages are `tbm generate --scale 1 --seed 7 --format csv|parquet` in $TBM_BENCH_DATA (default
# benchmarks/.data). Each measurement is interleaved with the others, repeated N times; the load average
# (1 min) is read before each one and reported beside min and median. Needs /usr/bin/python3 with pandas
# (Debian: apt-get install -y python3-pandas). Not part of any test suite. TBM_BASE_CLI=PATH/tbm.dll adds
# `tbm run` on CSV of another build (e.g. the commit before a change) to the same interleaved run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=5
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
data="${TBM_BENCH_DATA:-benchmarks/.data}"
mkdir -p "$data"
data="$(cd "$data" && pwd)"
./tbm --help >/dev/null                 # builds the CLI once
dotnet build -c Release benchmarks/ItDrift.Tbm.Benchmarks.csproj -v quiet -clp:NoSummary >/dev/null
bench=benchmarks/bin/Release/net10.0/ItDrift.Tbm.Benchmarks.dll
for format in csv parquet; do
  if [ ! -f "$data/issue15-$format/.complete" ]; then
    rm -rf "$data/issue15-$format"
    ./tbm generate --scale 1 --seed 7 --format "$format" --out "$data/issue15-$format" >/dev/null
    touch "$data/issue15-$format/.complete"
  fi
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The pandas script must give the engine's fees.csv, byte for byte.
./tbm run --model "$data/issue15-csv" --out "$work/check" >/dev/null 2>&1
/usr/bin/python3 benchmarks/pandas_baseline.py "$data/issue15-csv" "$work/pandas-fees.csv"
cmp "$work/check/fees.csv" "$work/pandas-fees.csv"


load() { cut -d' ' -f1 /proc/loadavg; }
# Each measurement is a whole process under /usr/bin/time: wall seconds and CPU seconds (user + system).
# On a shared machine the CPU seconds are the steadier figure; the floors also print their own in-process time.
measure() {  # name command…
  local name="$1" l; shift
  l="$(load)"
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >"$work/stdout" 2>/dev/null
  read -r wall user sys <"$work/time"
  inner="-"
  case "$name" in floor-*) inner="$(tail -1 "$work/stdout" | cut -d' ' -f1)" ;; esac
  echo "$name $wall $(echo "$user + $sys" | bc -l) $inner $l" >>"$work/times"
  echo "run $i $name wall ${wall}s cpu ${user}+${sys}s in-process $inner load $l" >&2
}
for i in $(seq "$runs"); do
  measure floor-csv dotnet "$bench" child floor "$data/issue15-csv"
  measure floor-parquet dotnet "$bench" child floor "$data/issue15-parquet"
  rm -rf "$work/run"; measure run-csv dotnet .tbm/bin/tbm.dll run --model "$data/issue15-csv" --out "$work/run"
  rm -rf "$work/run"; measure run-parquet dotnet .tbm/bin/tbm.dll run --model "$data/issue15-parquet" --out "$work/run"
  measure pandas /usr/bin/python3 benchmarks/pandas_baseline.py "$data/issue15-csv" "$work/pandas-fees.csv"
  if [ -n "${TBM_BASE_CLI:-}" ]; then
    rm -rf "$work/run"; measure base-csv dotnet "$TBM_BASE_CLI" run --model "$data/issue15-csv" --out "$work/run"
  fi
done

python3 - "$work/times" "$runs" <<'EOF' | tee "${out:-/dev/null}"
import statistics, sys, os
by = {}
for line in open(sys.argv[1]):
    name, wall, cpu, inner, load = line.split()
    by.setdefault(name, []).append((float(wall), float(cpu), None if inner == "-" else float(inner), float(load)))
def stat(name, i):
    xs = sorted(x[i] for x in by[name])
    return xs[0], statistics.median(xs)
def loads(name):
    ls = [x[3] for x in by[name]]
    return f"{min(ls):.1f}–{max(ls):.1f}"
print(f"One run of benchmarks/vs-floor.sh, {sys.argv[2]} interleaved repetitions; scale 1 (1 000 000 ledger lines, seed 7); "
      f"{os.cpu_count()} cores. Every figure is a whole process (wall, and CPU = user + system seconds), min / median; "
      f"the floors also in process (DuckDB's statement alone). Load average (1 min) read before each measurement.")
print()
print("| | wall min / median (s) | CPU min / median (s) | in process min / median (s) | load |")
print("|---|---:|---:|---:|---:|")
names = {"floor-csv": "floor: DuckDB `read_csv` + GROUP BY", "floor-parquet": "floor: DuckDB `read_parquet` + GROUP BY",
         "run-csv": "`tbm run`, CSV package", "run-parquet": "`tbm run`, Parquet package",
         "pandas": "pandas script, fees.csv only", "base-csv": "`tbm run`, CSV package, the build before (TBM_BASE_CLI)"}
for key, label in names.items():
    if key not in by:
        continue
    w, c = stat(key, 0), stat(key, 1)
    inner = f"{stat(key, 2)[0]:.2f} / {stat(key, 2)[1]:.2f}" if key.startswith("floor") else ""
    print(f"| {label} | {w[0]:.2f} / {w[1]:.2f} | {c[0]:.2f} / {c[1]:.2f} | {inner} | {loads(key)} |")
print()
def ratio(a, b, i):
    return f"{stat(a, i)[1] / stat(b, i)[1]:.2f}"
print(f"- `tbm run` CSV ÷ floor over CSV (target ≤ 3), medians: wall {ratio('run-csv', 'floor-csv', 0)}, CPU {ratio('run-csv', 'floor-csv', 1)}")
print(f"- `tbm run` Parquet ÷ floor over Parquet (target ≤ 3), medians: wall {ratio('run-parquet', 'floor-parquet', 0)}, CPU {ratio('run-parquet', 'floor-parquet', 1)}")
print(f"- pandas ÷ `tbm run` CSV (target ≥ 10), medians: wall {ratio('pandas', 'run-csv', 0)}, CPU {ratio('pandas', 'run-csv', 1)}")
if "base-csv" in by:
    print(f"- the build before ÷ this one, `tbm run` CSV, medians: wall {ratio('base-csv', 'run-csv', 0)}, CPU {ratio('base-csv', 'run-csv', 1)}")
EOF
