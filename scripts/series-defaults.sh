#!/usr/bin/env bash
# The runs behind the real-valued defaults (docs/RESULTS.md, "Real-valued series"): `local --series`
# on two public series from the npm package vega-datasets (BSD-3-Clause), over a grid of hidden size,
# learning rate and batch, for 8-OK and truncated BPTT. Usage:
#   scripts/series-defaults.sh OUT_DIR [OKRTRL_COMMAND]
# OUT_DIR gets the data, one summary JSON per run and results.csv. Needs npm (for the data).
set -euo pipefail
out="$1"; okrtrl="${2:-bin/okrtrl}"
mkdir -p "$out/runs" "$out/data"
if [[ ! -f "$out/data/seattle-weather.csv" ]]; then
  (cd "$out/data" && npm pack --silent vega-datasets@3.2.1 >/dev/null && tar xzf vega-datasets-3.2.1.tgz \
    && cp package/data/seattle-weather.csv package/data/seattle-weather-hourly-normals.csv . && rm -rf package ./*.tgz)
fi
# A third, synthetic series: the generator of the acceptance check (a weekly pattern, a yearly cycle, noise).
if [[ ! -f "$out/data/weekly.csv" ]]; then
  python3 - "$out/data/weekly.csv" <<'PY'
import math, random, sys, datetime
random.seed(11); d = datetime.date(2000, 1, 3); week = [1.0, 0.8, 0.7, 0.75, 0.9, -1.6, -1.9]
with open(sys.argv[1], "w") as f:
    f.write("date,value\n")
    for t in range(8000):
        v = 10 + week[t % 7] + 0.8 * math.sin(2 * math.pi * t / 365.25) + random.gauss(0, 0.3)
        f.write(f"{(d + datetime.timedelta(days=t)).isoformat()},{v:.4f}\n")
PY
fi
# name file target keys season
series=("daily $out/data/seattle-weather.csv temp_max 2 7"
        "hourly $out/data/seattle-weather-hourly-normals.csv temperature 4 24"
        "weekly $out/data/weekly.csv value 4 7")
run() { # series-spec algo hidden lr batch forecast-target
  read -r name file target keys season <<<"$1"
  local tag="$name-$2-n$3-lr$4-b$5-$6"
  [[ -f "$out/runs/$tag.json" ]] && return 0
  "$okrtrl" local --series "$file" --target "$target" --keys "$keys" --season "$season" --bad-record-rate 0 \
    --algo "$2" --hidden "$3" --learning-rate "$4" --batch-events "$5" --forecast-target "$6" \
    --summary-json "$out/runs/$tag.json" > "$out/runs/$tag.log" 2>&1 || echo "$tag failed" >&2
}
for s in "${series[@]}"; do
  for lr in 0.001 0.003 0.01; do for b in 4 16; do run "$s" ok:8 32 "$lr" "$b" change; done; done
  for lr in 0.003 0.01; do run "$s" ok:8 32 "$lr" 4 level; done
  for n in 16 64; do for lr in 0.003 0.01; do run "$s" ok:8 "$n" "$lr" 4 change; done; done
  for lr in 0.001 0.003 0.01; do run "$s" tbptt:25 32 "$lr" 4 change; done
done
python3 - "$out" <<'PY'
import json, os, sys, csv
out = sys.argv[1]; rows = []
for f in sorted(os.listdir(os.path.join(out, "runs"))):
    if not f.endswith(".json"): continue
    s = json.load(open(os.path.join(out, "runs", f)))
    name, algo, n, lr, b, target = f[:-5].split("-", 5)
    rows.append([name, algo, n[1:], lr[2:], b[1:], target, s.get("mse_tail"), s.get("mse_end"), s.get("mse_persistence_tail"),
                 s.get("mse_mean_tail"), s.get("mse_seasonal_tail"), s.get("scored_steps")])
with open(os.path.join(out, "results.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow(["series", "algo", "hidden", "lr", "batch", "forecast_target", "mse_tail", "mse_end", "persistence_tail",
                                   "mean_tail", "seasonal_tail", "scored"]); w.writerows(rows)
for r in rows: print(*r, sep="\t")
PY

# The shipped defaults (no learning flags), 8-OK beside truncated BPTT, three seeds each.
for s in "${series[@]}"; do
  read -r name file target keys season <<<"$s"
  for algo in ok:8 tbptt:25; do
    for seed in 1 2 3; do
      tag="defaults-$name-$algo-seed$seed"
      [[ -f "$out/runs/$tag.json" ]] && continue
      "$okrtrl" local --series "$file" --target "$target" --keys "$keys" --season "$season" --bad-record-rate 0 \
        --algo "$algo" --seed "$seed" --summary-json "$out/runs/$tag.json" > "$out/runs/$tag.log" 2>&1 \
        || echo "$tag failed" >&2
    done
  done
done
python3 - "$out" <<'PY'
import json, os, sys, statistics as st
out = sys.argv[1]; runs = {}
for f in sorted(os.listdir(os.path.join(out, "runs"))):
    if f.startswith("defaults-") and f.endswith(".json"):
        _, name, algo, seed = f[:-5].split("-")
        runs.setdefault((name, algo), []).append(json.load(open(os.path.join(out, "runs", f))))
with open(os.path.join(out, "defaults.csv"), "w") as w:
    w.write("series,algo,seeds,mse_tail_mean,mse_tail_sd,mse_end_mean,persistence_tail,mean_tail,seasonal_tail\n")
    for (name, algo), rs in sorted(runs.items()):
        t = [r["mse_tail"] for r in rs]; e = [r["mse_end"] for r in rs]
        line = [name, algo, len(rs), st.mean(t), st.stdev(t) if len(t) > 1 else 0, st.mean(e),
                rs[0]["mse_persistence_tail"], rs[0]["mse_mean_tail"], rs[0].get("mse_seasonal_tail")]
        w.write(",".join(str(v) for v in line) + "\n"); print(*line, sep="\t")
PY
