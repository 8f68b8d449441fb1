#!/usr/bin/env bash
# Runs a chosen set of benchmarks in a few minutes: ./benchmarks/run.sh [filter]   (default: all)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
filter="${1:-*}"
dotnet run -c Release --project ItDrift.Tbm.Benchmarks.csproj -- --filter "$filter" --job short --artifacts ./BenchmarkDotNet.Artifacts "${@:2}"
