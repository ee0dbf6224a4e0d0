#!/usr/bin/env bash
# What a live refresh costs, counted at the endpoint: `copyjobs watch` reads
# all JOBS jobs once, then polls on the engine the dashboard uses. The
# endpoint's `serve -v` log has one line a request; this groups them by poll.
#
#   cargo build --release && benches/refresh-cost.sh 100000
#
# Phase 1, three polls with the endpoint's clock frozen: nothing changes.
# Phase 2, the clock jumps ADVANCE seconds: jobs finish and new ones arrive;
# the next poll's requests are set against what `watch` reported.
set -euo pipefail
JOBS=${1:-10000}
ADVANCE=${ADVANCE:-600}
BIN=${BIN:-target/release/copyjobs}
INTERVAL=2
dir=$(mktemp -d)
cleanup() { kill "${watch_pid:-}" "${serve_pid:-}" 2>/dev/null || true; }
trap cleanup EXIT

"$BIN" serve -v --addr 127.0.0.1:0 --jobs "$JOBS" --frozen --regions us-east-1 \
  >"$dir/serve.out" 2>"$dir/serve.log" &
serve_pid=$!
until grep -q "listening on" "$dir/serve.out" 2>/dev/null; do sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$dir/serve.out")
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo

"$BIN" watch --endpoint-url "$url" --region us-east-1 --interval "$INTERVAL" \
  >"$dir/watch.out" 2>"$dir/watch.err" &
watch_pid=$!
until grep -q "^copyjobs: watching" "$dir/watch.err" 2>/dev/null; do sleep 0.1; done
loaded=$(grep -c ' request ' "$dir/serve.log")
echo "jobs loaded: $(sed -n 's/^copyjobs: watching \([0-9]*\) jobs.*/\1/p' "$dir/watch.err"), in $loaded requests ($(sed -n 's/.*(\([0-9]*\) in flight).*/\1/p' "$dir/watch.err") in flight)"

# Three quiet polls.
sleep $((INTERVAL * 3 + 1))
quiet_end=$(grep -c ' request ' "$dir/serve.log")
changes_before=$(wc -l <"$dir/watch.out")
curl -s -X POST "$url/_emulator/advance?seconds=$ADVANCE" >/dev/null
sleep $((INTERVAL + 1))
end=$(grep -c ' request ' "$dir/serve.log")

# Polls are INTERVAL apart and their requests milliseconds apart: a gap of
# over a second starts a new poll.
polls() {
  sed -n "$1,$2p" "$dir/serve.log" | awk '
    { split($1, t, "T"); split(t[2], h, ":"); s = h[1]*3600 + h[2]*60 + h[3]
      op = $0; sub(/.*operation=/, "", op); sub(/ .*/, "", op); gsub(/"/, "", op)
      if (op == "-") next
      if (n && s - last > 1) { print n " requests: " ops; n = 0; ops = "" }
      n++; ops = ops " " op; last = s }
    END { if (n) print n " requests: " ops }'
}
echo "quiet polls (nothing changed):"
polls $((loaded + 1)) "$quiet_end" | sed 's/^/  /'
new=$(tail -n +$((changes_before + 1)) "$dir/watch.out" | grep -c "new" || true)
done_=$(tail -n +$((changes_before + 1)) "$dir/watch.out" | grep -vc "new" || true)
echo "after the clock moved ${ADVANCE}s: $new new jobs, $done_ finished:"
polls $((quiet_end + 1)) "$end" | sed 's/^/  /'
echo "budget for that poll: 2 + $done_ + ceil($new/1000) = $((2 + done_ + (new + 999) / 1000))"
