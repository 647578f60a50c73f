#!/usr/bin/env bash
# bench-parallel.sh — the whole conformance suite against `hookcheck target
# --time-scale 1` (NetServer's real schedule: retries after 1 s and 4 s, a
# 30 s HTTP timeout), once with --parallel N and once serially
# (--parallel 1), against the same target; prints a Markdown section for
# BENCHMARKS.md with the wall times and the longest spec.
#
#   scripts/bench-parallel.sh [N] > /tmp/section.md    (N defaults to 8)
#
# Needs bin/hookcheck (make build) and python3. The serial run takes
# about 4.5 minutes.
set -euo pipefail
N=${1:-8}
BIN=${HOOKCHECK:-bin/hookcheck}
work=$(mktemp -d)
trap 'kill "$target_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
smtp="127.0.0.1:$(free_port)"
"$BIN" target --time-scale 1 --allow-http --listen 127.0.0.1:0 --addr-file "$work/addr.json" --smtp "$smtp" >"$work/target.log" 2>&1 &
target_pid=$!
for _ in $(seq 100); do [ -s "$work/addr.json" ] && break; sleep 0.1; done
base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base"])' "$work/addr.json")
suite() { # name parallel
  local start end
  start=$(date +%s.%N)
  "$BIN" run --target "$base" --auth soticket:7T:hookcheck --require-https=false \
    --receiver-smtp-listen "$smtp" --smtp-captured --parallel "$2" --progress plain \
    --report-dir "$work/$1" >"$work/$1.log" 2>&1 || true
  end=$(date +%s.%N)
  python3 -c 'import sys; print(f"{float(sys.argv[2])-float(sys.argv[1]):.1f}")' "$start" "$end" >"$work/$1.wall"
}
suite parallel "$N"
suite serial 1
python3 - "$work" "$N" "$base" <<'PY'
import json, os, subprocess, sys
work, n, base = sys.argv[1], sys.argv[2], sys.argv[3]
def load(name):
    r = json.load(open(f"{work}/{name}/report.json"))
    wall = open(f"{work}/{name}.wall").read().strip()
    return r, float(wall)
par, pwall = load("parallel")
ser, swall = load("serial")
def totals(r):
    t = r["totals"]
    return f'{t["specs"]} specs: {t["passed"]} passed, {t["failed"]} failed, {t["skipped"]} skipped'
longest = max(par["specs"], key=lambda s: s["durationNs"])
summed = sum(s["durationNs"] for s in ser["specs"]) / 1e9
rev = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip()
cpus = os.cpu_count()
print(f"""## Real schedule: serial vs --parallel

The whole suite against `hookcheck target --time-scale 1` (NetServer's real
schedule: retries after 1 s and 4 s, a 30 s HTTP timeout, TooManyErrors after
three cycles), first with `--parallel {n}`, then serially (`--parallel 1`),
against the same target process, on {cpus} cores (build {rev}; the machine was
shared with other work, so the times are noisy). Reproduce with
`scripts/bench-parallel.sh {n}` (after `make build`).

| run | wall | specs | sum of spec durations |
|---|---:|---|---:|
| `--parallel 1` (serial) | {swall:.1f} s | {totals(ser)} | {summed:.1f} s |
| `--parallel {n}` | {pwall:.1f} s | {totals(par)} | {sum(s["durationNs"] for s in par["specs"])/1e9:.1f} s |

Speed-up {swall/pwall:.1f}×. The longest spec is `{longest["id"]}` ({longest["durationNs"]/1e9:.1f} s): the parallel
run's wall time approaches it, not the sum, because the specs with the longest
expected wait start first and the serial specs (list every webhook, the status
filter, usage statistics) run alone at the end.
""")
PY
