#!/usr/bin/env bash
# `make run`: all of yizhi on one machine with nothing installed but Go.
#
# Starts the Temporal dev server (unless one already answers), waits until it
# serves, then runs `yizhi dev` in the foreground. Ctrl-C or SIGTERM stops
# yizhi first, then the Temporal server it started; both keep their state
# under the data directory, so the next `make run` carries on from there.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

data_dir=${YIZHI_DATA_DIR:-data}
address=${YIZHI_TEMPORAL_ADDRESS:-127.0.0.1:7233}
namespace=${YIZHI_TEMPORAL_NAMESPACE:-default}
temporal_log=$data_dir/temporal.log
ready_timeout=60

temporal_pid="" # set only when this script started the Temporal server
app_pid=""

say() { echo "dev: $*" >&2; }

# signal_group sends a signal to the process group a child leads (setsid made
# it one), or to the child alone where setsid is missing.
signal_group() {
  kill -s "$1" -- "-$2" 2>/dev/null || kill -s "$1" "$2" 2>/dev/null || true
}

# stop_child signals a child's group and waits for it, escalating to SIGKILL
# after grace_seconds.
stop_child() {
  local pid=$1 signal=$2 grace_seconds=$3 name=$4
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return; }
  say "stopping $name"
  signal_group "$signal" "$pid"
  local deadline=$((SECONDS + grace_seconds))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name did not stop within $grace_seconds s; killing it"
    signal_group KILL "$pid"
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  if [[ -n $app_pid ]]; then
    stop_child "$app_pid" TERM 30 "yizhi dev"
  fi
  if [[ -n $temporal_pid ]]; then
    stop_child "$temporal_pid" TERM 15 "the Temporal dev server"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# The children run in sessions of their own (setsid), so a Ctrl-C reaches
# only this script, which stops them in order: yizhi, then Temporal.
detach=()
if command -v setsid >/dev/null 2>&1; then
  detach=(setsid)
fi

temporal=$(scripts/temporal-cli.sh)
mkdir -p "$data_dir"

temporal_healthy() {
  "$temporal" operator cluster health --address "$address" >/dev/null 2>&1
}

port_in_use() {
  local host=${address%:*} port=${address##*:}
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

if [[ $address != 127.0.0.1:7233 && $address != localhost:7233 ]]; then
  say "YIZHI_TEMPORAL_ADDRESS is $address, so no local Temporal dev server is started; waiting for that one"
elif temporal_healthy || port_in_use; then
  say "something already listens on $address; using it as the Temporal server (it keeps running after yizhi stops)"
else
  say "starting the Temporal dev server: gRPC $address, UI http://127.0.0.1:8233, database $data_dir/temporal.db, log $temporal_log"
  extra=()
  if [[ $namespace != default ]]; then
    extra=(--namespace "$namespace")
  fi
  ${detach[@]+"${detach[@]}"} "$temporal" server start-dev \
    --db-filename "$data_dir/temporal.db" \
    --ip 127.0.0.1 --port 7233 --ui-port 8233 \
    --log-level warn ${extra[@]+"${extra[@]}"} \
    --dynamic-config-value system.enableActivityEagerExecution=true \
    >>"$temporal_log" 2>&1 </dev/null &
  temporal_pid=$!
fi

# Compile while Temporal starts.
say "building bin/yizhi"
go build -o bin/yizhi ./cmd/yizhi

deadline=$((SECONDS + ready_timeout))
until temporal_healthy; do
  if [[ -n $temporal_pid ]] && ! kill -0 "$temporal_pid" 2>/dev/null; then
    say "the Temporal dev server exited while starting; the end of $temporal_log:"
    tail -n 20 "$temporal_log" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    say "Temporal did not become healthy on $address within $ready_timeout s (see $temporal_log)"
    exit 1
  fi
  sleep 0.5
done
say "Temporal is serving on $address"

${detach[@]+"${detach[@]}"} bin/yizhi dev &
app_pid=$!
# From here on a signal is passed to yizhi, which shuts down within
# YIZHI_SHUTDOWN_TIMEOUT; the script exits once yizhi has.
trap 'signal_group INT "$app_pid"' INT
trap 'signal_group TERM "$app_pid"' TERM HUP

status=0
while :; do
  wait "$app_pid" && status=0 || status=$?
  # wait also returns when a trapped signal arrives; only an exit ends the loop.
  kill -0 "$app_pid" 2>/dev/null || break
done
app_pid=""
exit "$status"
