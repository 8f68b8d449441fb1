#!/usr/bin/python3
"""The analyst's baseline (issue 15): fees.csv from a model package with pandas, the straightforward way.

The arithmetic of docs/model-format.md §3 (map, step-down allocation with the largest-remainder split,
fees per tenant, service and pool) and nothing else: no validation, no other output. Python's integers
are exact, so the split is exact too. Not part of the test suite; run by hand or by run.sh vs-pandas:

    /usr/bin/python3 benchmarks/pandas_baseline.py MODEL_DIR OUT_FEES_CSV
"""
import json
import sys
from collections import defaultdict
from decimal import Decimal

import pandas as pd


def scaled(text, unit):
    """'12.5' -> 12.5 * unit exactly (amounts: unit 100, quantities: unit 10**6)."""
    return int(Decimal(str(text).strip().replace(",", ".")) * unit)


def money_text(ore):
    sign = "-" if ore < 0 else ""
    return f"{sign}{abs(ore) // 100}.{abs(ore) % 100:02d}"


def main(model, out):
    manifest = json.load(open(f"{model}/model.json", encoding="utf-8"))
    text = {"cost_center": str, "project": str, "voucher": str, "text": str, "amount": str, "scenario": str}
    ledger = pd.read_csv(f"{model}/ledger.csv", dtype=text, keep_default_na=False)
    ledger["scenario"] = ledger["scenario"].replace("", "actual").str.lower()
    ledger["amount"] = (ledger["amount"].astype(float) * 100).round().astype("int64")
    cost = pd.Series(False, index=ledger.index)
    for low, high in manifest["costAccounts"]:
        cost |= ledger["account"].between(low, high)
    groups = ledger[cost].groupby(["fiscal_year", "scenario", "account", "cost_center", "project"], as_index=False)["amount"].sum()

    # Map: the matching mapping row with the lowest priority; cost pool by account range.
    mapping = pd.read_csv(f"{model}/mapping.csv", dtype={"cost_center": str, "project": str}, keep_default_na=False).sort_values("priority")
    mapping["project"] = mapping["project"].replace("", "*")
    keys = groups[["account", "cost_center", "project"]].drop_duplicates()
    pairs = keys.merge(mapping, how="cross", suffixes=("", "_m"))
    match = (pairs["account"].between(pairs["account_from"], pairs["account_to"])
             & ((pairs["cost_center_m"] == "*") | (pairs["cost_center_m"] == pairs["cost_center"]))
             & ((pairs["project_m"] == "*") | (pairs["project_m"] == pairs["project"])))
    best = pairs[match].sort_values("priority").drop_duplicates(["account", "cost_center", "project"])
    groups = groups.merge(best[["account", "cost_center", "project", "object_id"]], how="left", on=["account", "cost_center", "project"])
    groups["object_id"] = groups["object_id"].fillna("UNMAPPED")
    pools = pd.read_csv(f"{model}/cost_pools.csv")
    groups["cost_pool"] = None
    for row in pools.itertuples():
        groups.loc[groups["account"].between(row.account_from, row.account_to), "cost_pool"] = row.cost_pool
    balance = defaultdict(int)  # (year, scenario, object, pool) -> öre
    for row in groups.groupby(["fiscal_year", "scenario", "object_id", "cost_pool"], as_index=False)["amount"].sum().itertuples(index=False):
        balance[(row[0], row[1], row[2], row[3])] += row[4]

    # Allocate: rules in (step, source) order; each source's pools split over its targets' weights.
    tenants = set(pd.read_csv(f"{model}/tenants.csv", dtype=str)["tenant_id"])
    rules = pd.read_csv(f"{model}/rules.csv", dtype=str, keep_default_na=False)
    rules["step"] = rules["step"].astype(int)
    rules["method"] = rules["method"].str.lower()
    drivers = pd.read_csv(f"{model}/drivers.csv", dtype={"quantity": str, "scenario": str}, keep_default_na=False)
    drivers["scenario"] = drivers["scenario"].replace("", "actual").str.lower()
    drivers["w"] = drivers["quantity"].map(lambda q: scaled(q, 10**6))
    volumes = {k: dict(zip(g["target"], g["w"])) for k, g in drivers.groupby(["fiscal_year", "scenario", "driver"])}
    periods = sorted({(y, s) for (y, s, _, _) in balance})
    fees = []
    for rule in rules.sort_values(["step", "source"]).itertuples():
        listed = [t.strip() for t in rule.targets.split(";") if t.strip()]
        for year, scenario in periods:
            if rule.method == "driver":
                volume = volumes.get((year, scenario, rule.driver), {})
                weights = {t: volume.get(t, 0) for t in listed} if listed else dict(volume)
            elif rule.method == "fixed":
                weights = {t.split(":")[0].strip(): scaled(t.split(":")[1], 10**6) for t in listed}
            else:
                weights = {t: 10**6 for t in listed}
            total = sum(weights.values())
            for (y, s, obj, pool), b in list(balance.items()):
                if (y, s, obj) != (year, scenario, rule.source) or b == 0 or total == 0:
                    continue
                parts = {t: abs(b) * w // total for t, w in weights.items()}
                left = abs(b) - sum(parts.values())
                for t in sorted(weights, key=lambda t: (-(abs(b) * weights[t] % total), t))[:left]:
                    parts[t] += 1
                balance[(y, s, obj, pool)] = 0
                for t, part in parts.items():
                    if part == 0:
                        continue
                    amount = part if b > 0 else -part
                    if t in tenants:
                        fees.append((year, scenario, t, rule.source, pool, amount))
                    else:
                        balance[(year, scenario, t, pool)] += amount

    result = pd.DataFrame(fees, columns=["fiscal_year", "scenario", "tenant", "service", "cost_pool", "amount"])
    result = result.sort_values(["fiscal_year", "scenario", "tenant", "service", "cost_pool"])
    result["amount"] = result["amount"].map(money_text)
    result.to_csv(out, index=False, lineterminator="\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
