#!/usr/bin/env bash
# Nominal-load figures of the collector as separate processes: a private InfluxDB, the collector and
# the simulator (13 rigs x 1 kHz, QoS 1, drifting clocks, timecode every frame) for 60 s. Prints the
# collector's CPU (% of one core, from /proc), heap, RSS, store latency, and sent vs stored samples.
# A benchmark, not a test: nothing here passes or fails. Usage: scripts/measure-nominal.sh [SECONDS]
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
seconds=${1:-60}
dir="$(mktemp -d)"
mqtt=18883 http=18880
cleanup() {
  if [ -n "${cpid:-}" ]; then
    kill "$cpid" 2>/dev/null || true
    wait "$cpid" 2>/dev/null || true
  fi
  scripts/influxd-local.sh stop "$dir/influx" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
url="$(scripts/influxd-local.sh start "$dir/influx" 18186 | tail -1)"
for n in $(seq -w 1 13); do
  echo "pw-$n" | ./rigtel credentials add --file "$dir/credentials" --user "rig-$n" --role rig --iterations 1000 >/dev/null
done
# /metrics needs a viewer (or --open-reads).
echo "pw-viewer" | ./rigtel credentials add --file "$dir/credentials" --user viewer --role viewer --iterations 1000 >/dev/null
./rigtel collector --mqtt-port "$mqtt" --http-port "$http" --influx-url "$url" --data-dir "$dir/c" \
  --credentials "$dir/credentials" >"$dir/collector.log" 2>&1 &
cpid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$http/health" >/dev/null && break; sleep 0.5; done
jpid="$(pgrep -f "CollectorMain --mqtt-port $mqtt")"
t0=$(awk '{print $14+$15}' "/proc/$jpid/stat"); s0=$(date +%s.%N)
./rigtel simulate --broker "tcp://127.0.0.1:$mqtt" --rigs 13 --rate 1000 --duration "$seconds" --qos 1 \
  --clock-drift-ppm 20 --tc-interval-ms 40 --username 'rig-{n}' --password 'pw-{n}' --json >"$dir/sim.json" 2>"$dir/sim.log"
t1=$(awk '{print $14+$15}' "/proc/$jpid/stat"); s1=$(date +%s.%N)
echo "collector CPU: $(echo "($t1-$t0)/($s1-$s0)" | bc -l | cut -c1-5) % of one core over $(echo "$s1-$s0" | bc | cut -c1-5) s"
jcmd "$jpid" GC.heap_info | sed -n 2p
grep VmRSS "/proc/$jpid/status"
curl -s -u viewer:pw-viewer "http://127.0.0.1:$http/metrics" | grep -E '^rigtel_ingest_store_latency_seconds\{quantile'
sent=$(python3 -c "import json;print(json.load(open('$dir/sim.json'))['totals']['samples_sent'])")
stored=$(curl -s -G "$url/query" --data-urlencode 'db=rigtel' --data-urlencode 'q=SELECT count(ax) FROM raw.imu' |
  python3 -c "import json,sys;print(json.load(sys.stdin)['results'][0]['series'][0]['values'][0][1])")
echo "samples sent $sent, stored $stored"
