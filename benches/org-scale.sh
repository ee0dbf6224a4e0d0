#!/usr/bin/env bash
# Issue 25's scale budgets, as a user would meet them: `serve --org-size 50`
# with 6 regions at 100 ms a request, nothing changing, and the dashboard
# reading it with `--org` in a 160x48 tmux pane (fake keys, no AWS config).
#
#   cargo build --release && benches/org-scale.sh [dashboard flags, e.g. --max-in-flight 32]
#
# Prints: how long after the organisation's first ListAccounts answer the
# last source's first listing was answered; then, after the first listing
# has settled, IDLE seconds of CPU and memory from /proc and the requests
# of that minute by operation, with the busiest second's count.
set -euo pipefail
BIN=${BIN:-target/release/copyjobs}
IDLE=${IDLE:-60}
REGIONS=us-east-1,us-west-2,eu-central-1,eu-west-1,ap-northeast-1,ap-southeast-2
dir=$(mktemp -d)
session=org-scale-$$
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; kill "${serve_pid:-}" 2>/dev/null || true; }
trap cleanup EXIT

"$BIN" serve -v --addr 127.0.0.1:0 --org-size 50 --regions "$REGIONS" --latency 100 --frozen \
  --arrival-rate 0 --jobs 4 >"$dir/serve.out" 2>"$dir/serve.log" &
serve_pid=$!
until grep -q "listening on" "$dir/serve.out" 2>/dev/null; do sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$dir/serve.out")

cat >"$dir/dash.sh" <<EOS
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_REGION=us-east-1
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_EC2_METADATA_DISABLED=true
export XDG_STATE_HOME=$dir/state XDG_CONFIG_HOME=$dir/config
exec $(realpath "$BIN") --org --role-name CopyJobsReader --regions $REGIONS --endpoint-url $url $*
EOS
tmux new-session -d -s "$session" -x 160 -y 48 "bash $dir/dash.sh; sleep 600"
sleep 10

ops() { awk '{op=$0; sub(/.*operation=/,"",op); sub(/ .*/,"",op); gsub(/"/,"",op); print op}'; }
secs() { awk '{split($1,t,"T"); split(t[2],h,":"); printf "%.3f\n", h[1]*3600+h[2]*60+h[3]}'; }
api=$(grep -v '_emulator' "$dir/serve.log" | grep ' request ')
start=$(echo "$api" | awk '/organizations:ListAccounts/ && !f { print; f = 1 }' | secs)
last=$(echo "$api" | grep 'ListModelCopyJobs' | sed -n 276p | secs)
echo "sources: $(tmux capture-pane -p -t "$session" | sed -n '1s/.*copyjobs \([0-9]*\) sources.*/\1/p'), rows: $(tmux capture-pane -p -t "$session" | sed -n '1s/.* of \([0-9,]*\) loaded.*/\1/p')"
echo "first rows from every source: $(echo "$last - $start" | bc) s after the first ListAccounts answer"

pid=$(pgrep -n -f -- "--org --role-name CopyJobsReader --regions $REGIONS --endpoint-url $url")
hz=$(getconf CLK_TCK)
from=$(wc -l <"$dir/serve.log")
t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
sleep "$IDLE"
t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
echo "idle: $((t1 - t0)) ticks in ${IDLE} s = $(echo "scale=2; ($t1-$t0)*100/$hz/$IDLE" | bc) % of a core"
grep -E 'VmRSS|VmHWM' "/proc/$pid/status"
window=$(tail -n +$((from + 1)) "$dir/serve.log" | grep -v '_emulator' | grep ' request ')
echo "requests in those ${IDLE} s, by operation:"
echo "$window" | ops | sort | uniq -c
echo "busiest second: $(echo "$window" | awk '{ n[substr($1, 1, 19)]++ } END { for (k in n) if (n[k] > m) m = n[k]; print m }') requests"
