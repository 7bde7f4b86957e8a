#!/usr/bin/env bash
# rt5-down.sh - stop the RT5 server started by rt5-up.sh, by the PID it recorded
# (never by process name). The recorded PID is the Starlet master, started with setsid,
# so it is also the process-group id of its workers.
#
# slasim copy, used by `make rt5-down`.
# Usage: sudo bash scripts/rt5-down.sh [PIDFILE]        (default: /run/rt5-up/rt-server.pid)
# Data (SQLite DB, token) is kept in /var/lib/request-tracker5/rt5-up; `rt5-up.sh` with
# RT5_RESET=1 starts from an empty RT instead.
set -euo pipefail
PIDFILE="${1:-${RT5_PIDFILE:-/run/rt5-up/rt-server.pid}}"
RUN=$(dirname "$PIDFILE")
if [ "$(id -u)" != 0 ] && [ -e "$PIDFILE" ] && command -v sudo >/dev/null 2>&1; then
  exec sudo -n bash "$0" "$PIDFILE"
fi
log() { printf '[rt5-down] %s\n' "$*" >&2; }

if [ ! -s "$PIDFILE" ]; then log "no pid file $PIDFILE: nothing to stop"; exit 0; fi
PID=$(cat "$PIDFILE")
[[ "$PID" =~ ^[0-9]+$ ]] || { log "bad pid file content '$PID'"; exit 1; }

cmd_of() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }
group_members() { # rt-server processes whose process group is the recorded PID
  local f st rest p
  for f in /proc/[0-9]*/stat; do
    st=$(cat "$f" 2>/dev/null) || continue
    rest=${st##*) }; set -- $rest            # $1=state $2=ppid $3=pgrp
    [ "$3" = "$PID" ] || continue
    p=${f#/proc/}; p=${p%/stat}
    case "$(cmd_of "$p")" in *rt-server*) echo "$p";; esac
  done
  return 0
}

if kill -0 "$PID" 2>/dev/null; then
  case "$(cmd_of "$PID")" in
    *rt-server*) ;;
    *) log "pid $PID is not an rt-server (stale pid file?); not touching it"; rm -f "$PIDFILE" "$RUN/port"; exit 0;;
  esac
  log "sending TERM to rt-server master pid $PID"
  kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.2; done
fi
left=$(group_members)
if [ -n "$left" ]; then
  log "TERM to remaining workers of group $PID: $left"; kill -TERM $left 2>/dev/null || true; sleep 1
  left=$(group_members)
  if [ -n "$left" ]; then log "KILL $left"; kill -KILL $left 2>/dev/null || true; fi
fi
if kill -0 "$PID" 2>/dev/null; then log "master $PID still alive; sending KILL"; kill -KILL "$PID" 2>/dev/null || true; fi
rm -f "$PIDFILE" "$RUN/port"
log "stopped"
