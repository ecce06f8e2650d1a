#!/usr/bin/env bash
# Run a project-local clamd (Debian's clamav-daemon) that scans uploads for the pipeline.
# Usage: scripts/clamd.sh start|stop|status
#
# It listens where the settings look for it: the unix socket CLAMD_SOCKET (default
# var/clamd/clamd.sock), and also TCP CLAMD_HOST:CLAMD_PORT when CLAMD_HOST is set. Its config,
# pid, log and temporary files live in CLAMD_DIR (default var/clamd). Its only signatures are
# the project's own, in scripts/clamav/: no database is downloaded and freshclam never runs.
# CLAMD_STREAM_MAX_LENGTH (default 100M) is the most it accepts in one stream.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
var_dir=${NAVIS_VAR_DIR:-$root/var}
dir=${CLAMD_DIR:-$var_dir/clamd}
socket=${CLAMD_SOCKET:-$dir/clamd.sock}
conf=$dir/clamd.conf
pidfile=$dir/clamd.pid
log=$dir/clamd.log
signatures=$root/scripts/clamav

where() {
  if [ -n "${CLAMD_HOST:-}" ]; then
    echo "socket $socket and tcp $CLAMD_HOST:${CLAMD_PORT:-3310}"
  else
    echo "socket $socket"
  fi
}

running_pid() {  # the pid of our clamd, if it runs (a stale pid file names some other process)
  local pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = clamd ] || return 1
  echo "$pid"
}

answers() {  # answers [ATTEMPTS]: ping clamd once a second, up to ATTEMPTS times
  [ -f "$conf" ] && clamdscan --config-file="$conf" --ping "${1:-1}:1" >/dev/null 2>&1
}

write_config() {
  if [ ${#socket} -gt 100 ]; then
    echo "CLAMD_SOCKET is too long for a unix socket (${#socket} characters): $socket" >&2
    exit 1
  fi
  mkdir -p "$dir" "$dir/tmp" "$(dirname "$socket")"
  chmod 700 "$dir/tmp"
  cat >"$conf" <<EOF
# Written by scripts/clamd.sh; edit the script, not this file.
LocalSocket $socket
LocalSocketMode 660
FixStaleSocket yes
PidFile $pidfile
LogFile $log
LogTime yes
DatabaseDirectory $signatures
# Uploads are unpacked here while they are scanned: keep them out of the shared /tmp.
TemporaryDirectory $dir/tmp
Foreground no
Bytecode no
# A stream is refused above StreamMaxLength, which the client reports as too large to scan,
# never as clean. The other limits are set so that everything clamd accepts is scanned whole.
StreamMaxLength ${CLAMD_STREAM_MAX_LENGTH:-100M}
MaxFileSize 100M
MaxScanSize 400M
ReadTimeout 120
CommandReadTimeout 30
ExtendedDetectionInfo no
EOF
  if [ -n "${CLAMD_HOST:-}" ]; then
    printf 'TCPSocket %s\nTCPAddr %s\n' "${CLAMD_PORT:-3310}" "$CLAMD_HOST" >>"$conf"
  fi
}

start() {
  if running_pid >/dev/null && answers; then
    echo "clamd runs (pid $(running_pid), $(where))"
    return 0
  fi
  command -v clamd >/dev/null || {
    echo "clamd is not installed: run 'bash scripts/system-packages.sh run' (Debian package clamav-daemon)." >&2
    exit 1
  }
  write_config
  clamd --config-file="$conf"
  if ! answers 30; then
    echo "clamd did not answer on $(where) within 30 s; the end of $log:" >&2
    tail -n 20 "$log" >&2 || true
    exit 1
  fi
  echo "clamd runs (pid $(running_pid), $(where))"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    echo "clamd does not run ($(where))"
    return 0
  fi
  kill "$pid"
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "clamd (pid $pid) did not stop within 10 s" >&2
    exit 1
  fi
  echo "clamd stopped"
}

status() {
  if running_pid >/dev/null && answers; then
    echo "clamd runs (pid $(running_pid), $(where))"
  else
    echo "clamd does not answer ($(where))"
    exit 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
