#!/usr/bin/env bash
# Runs a command and starts it again whenever it exits, logging how it ended (status or signal).
#   bash scripts/supervise.sh <name> <command> [args...]
# SIGTERM/SIGINT stop the command (forwarded) and then this script. RESTART_DELAY_S (default 2).
NAME="$1"; shift
log() { printf '\033[1;34m[voltlab]\033[0m %s\n' "$*" >&2; }
child=""
stopping=0
stop() {
  stopping=1
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null
}
trap stop TERM INT
while :; do
  "$@" &
  child=$!
  # `wait` returns early when a trapped signal arrives: wait again for the child itself.
  wait "$child"; code=$?
  while kill -0 "$child" 2>/dev/null; do wait "$child"; code=$?; done
  [ "$stopping" = 1 ] && exit 0
  if [ "$code" -gt 128 ]; then why="killed by signal $((code - 128))"; else why="exited with status $code"; fi
  log "$NAME (pid $child) $why; restarting in ${RESTART_DELAY_S:-2} s"
  sleep "${RESTART_DELAY_S:-2}" &
  wait $! || true
  [ "$stopping" = 1 ] && exit 0
done
