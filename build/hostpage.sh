#!/usr/bin/env bash
# Serves the project's host page (e2e/serve.mjs) in the background, so a person
# can open two browser windows as two demo users. Idempotent; stops by PID.
#   build/hostpage.sh start|stop     (HOST_PAGE_PORT, default 8070; the server: MM_SITE_URL, else MM_PORT)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pidfile="$root/.cache/hostpage.pid"
port=${HOST_PAGE_PORT:-8070}
running() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "${1:-}" in
start)
	running && kill "$(cat "$pidfile")" && sleep 0.3
	(cd "$root/webapp" && npm run --silent build:host >/dev/null)
	MM_SITE_URL=${MM_SITE_URL:-http://127.0.0.1:${MM_PORT:-8065}} HOST_PAGE_PORT=$port \
		setsid node "$root/e2e/serve.mjs" >>"$root/.cache/hostpage.log" 2>&1 </dev/null &
	echo $! >"$pidfile"
	for _ in $(seq 1 40); do
		curl -fsS -m 1 "http://127.0.0.1:$port/" >/dev/null 2>&1 && exit 0
		sleep 0.25
	done
	echo "the host page did not start; see .cache/hostpage.log" >&2
	exit 1
	;;
stop)
	running && kill "$(cat "$pidfile")"
	rm -f "$pidfile"
	;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
