#!/usr/bin/env bash
# tbm's benchmarks. Usage: benchmarks/run.sh SET [options]
#
#   smoke              seconds: every benchmark's path once on 200 000 lines, against results/smoke.json;
#                      exit 1 on a gross regression (≥ 5× slower). --update writes the reference.
#   quick              a few minutes: ingest, the LINQ baseline, and map+allocate+fees and the whole run at scale 1
#   ingest             ingest of one million lines: canonical CSV, Swedish CSV, Parquet, SIE
#   allocate           map + allocate + fees with the model in DuckDB, and the floor, at scales 1, 10, 50
#   e2e                files → published run, and the floor, at scales 1, 10, 50
#   linq               the row-object LINQ baseline against the engine at scale 1
#   api                the read API on a warm server: a tenant's fees, an explanation, a workbook, the whole fee table
#                      (CSV, Arrow, .xlsx; with peak memory), then api-load
#   api-load           the tenant fee request from 64 concurrent clients: p50/p90/p99/max, requests/s (--clients, --seconds,
#                      --tenants, --out; default BenchmarkDotNet.Artifacts/results/api-load.md)
#   analysis           the national-size fee table opened as a DataFrame and as Arrow, against DuckDB reading it (rows/s, memory;
#                      TBM_BENCH_RUN=DIR reads that published run folder instead of publishing the API benchmarks' own)
#   portal-load        the portal's pages (tenant fee page; a mix with the supplier's pages and a prospect's quote page) from
#                      64 concurrent signed-in clients: p50/p90/p99/max (--clients, --seconds, --tenants, --store DIR where
#                      the scale-50 run is published once, default benchmarks/.data/portal-store; --out)
#   quote              a quote from a published scale-50 run over seven years (the coming year; all seven)
#   simulate           a simulation from a published scale-50 run: no change, and one of each kind (TBM_BENCH_RUNS: where the run is published)
#   scale [1 10 50]    time and peak memory of whole runs in fresh processes (--memory-limit, --temp-dir, --runs, --out)
#   stages MODEL       one run of a package: time per stage and peak memory (--memory-limit, --temp-dir, --threads, --out)
#   profile MODEL      map + allocate + fees against the floor, with table sizes (--times N, --explain FILE;
#                      TBM_TRACE_SQL=1 prints every statement's time)
#   generate SCALE…    write the benchmark packages beforehand
#   vs-floor           issue 15 in one run: `tbm run` on CSV and Parquet (scale 1, seed 7) against DuckDB's read + GROUP BY
#                      of the same file and against the analyst's pandas script (--runs N, --out FILE; needs python3-pandas)
#   all                everything above but smoke (about half an hour on two cores)
#
# TBM_BENCH_SCALES=1,10 limits the scales of allocate and e2e; TBM_BENCH_ITERATIONS (default 5) the
# iterations; TBM_BENCH_DATA where the generated packages are kept (default benchmarks/.data; scale 50
# takes a few minutes to generate the first time). Results: benchmarks/BenchmarkDotNet.Artifacts/results.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
set_name="${1:-quick}"
shift || true
if ! build_log="$(dotnet build -c Release ItDrift.Tbm.Benchmarks.csproj -v quiet -clp:NoSummary 2>&1)"; then
  printf '%s\n' "$build_log" >&2
  echo "run.sh: the benchmarks did not build" >&2
  exit 1
fi
bench() { dotnet bin/Release/net10.0/ItDrift.Tbm.Benchmarks.dll "$@"; }
bdn() { bench --artifacts ./BenchmarkDotNet.Artifacts --filter "$@"; }
case "$set_name" in
  smoke) bench smoke "$@" ;;
  scale) bench scale "$@" ;;
  stages) bench stages "$@" ;;
  profile) bench profile "$@" ;;
  generate) bench generate "$@" ;;
  vs-floor) exec ./vs-floor.sh "$@" ;;
  ingest) bdn '*IngestBenchmarks*' "$@" ;;
  allocate) bdn '*AllocateBenchmarks*' "$@" ;;
  e2e) bdn '*EndToEndBenchmarks*' "$@" ;;
  linq) bdn '*LinqBaselineBenchmarks*' "$@" ;;
  api) bdn '*ApiBenchmarks*' "$@"; bench api-load ;;
  api-load) bench api-load "$@" ;;
  portal-load) bench portal-load "$@" ;;
  quote) bdn '*QuoteBenchmarks*' "$@" ;;
  analysis) bdn '*AnalysisBenchmarks*' "$@" ;;
  simulate) bdn '*SimulationBenchmarks*' "$@" ;;
  quick) TBM_BENCH_SCALES=1 bdn '*IngestBenchmarks*' '*LinqBaselineBenchmarks*' '*AllocateBenchmarks*' '*EndToEndBenchmarks*' "$@" ;;
  all) bdn '*' "$@"; bench scale; bench api-load ;;
  *) sed -n '2,33p' "$(basename "$0")"; exit 2 ;;
esac
