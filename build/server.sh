#!/usr/bin/env bash
# A real Mattermost 11.4 server with its own PostgreSQL, for development and
# tests. Everything lives in .cache/ (ignored by git) and listens on 127.0.0.1.
#
#   build/server.sh build   build mattermost and mmctl once (reused while present)
#   build/server.sh start   start PostgreSQL and Mattermost if they are not running
#   build/server.sh stop    stop what start started, by PID
#   build/server.sh status  print what is running
#   build/server.sh start-second / stop-second
#                           a second Mattermost on the same database (an unlicensed
#                           "cluster"), for the two-server and restart tests
#
# Ports: MM_PORT (default 8065) and PG_PORT (default 55432); the second server
# listens on MM_PORT2 (default MM_PORT+1) and keeps its own plugin folders,
# logs and local-mode socket in .cache/mm-<its port>, sharing the first one's
# database and file store.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache"
bin="$cache/bin"
pgroot="$cache/pg"
mmhome="$cache/mm"
MM_PORT=${MM_PORT:-8065}
PG_PORT=${PG_PORT:-55432}
site="http://127.0.0.1:$MM_PORT"
MM_PORT2=${MM_PORT2:-$((MM_PORT + 1))}
mmhome2="$cache/mm-$MM_PORT2"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

log() { printf '[server] %s\n' "$*" >&2; }

build() {
	if [[ -x "$bin/mattermost" && -x "$bin/mmctl" ]]; then
		return
	fi
	log "building the Mattermost server and mmctl (first time only, a few minutes)"
	mkdir -p "$bin"
	(cd "$root/build/mmserver" &&
		GONOSUMDB=github.com/mattermost/mattermost/server/v8,github.com/mattermost/mattermost/server/public \
			go build -o "$bin/" \
			github.com/mattermost/mattermost/server/v8/cmd/mattermost \
			github.com/mattermost/mattermost/server/v8/cmd/mmctl)
}

as_postgres() { runuser -u postgres -- "$@"; }

# The cluster lives in .cache/pg, unless the postgres user cannot reach it
# (a checkout under a private home folder); then in a folder named after it.
choose_pgroot() {
	mkdir -p "$cache"
	if ! as_postgres test -x "$cache" 2>/dev/null; then
		pgroot="/var/tmp/readreceipts-pg-$(printf '%s' "$root" | md5sum | cut -c1-12)"
	fi
	pgdata="$pgroot/data"
}
choose_pgroot

pg_running() { [[ -f "$pgdata/postmaster.pid" ]] && as_postgres "$pgbin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; }

start_pg() {
	[[ -n "$pgbin" ]] || { log "PostgreSQL is not installed (apt-get install -y postgresql)"; exit 1; }
	if [[ ! -f "$pgdata/PG_VERSION" ]]; then
		log "creating a private PostgreSQL cluster in $pgdata"
		mkdir -p "$pgdata"
		chown -R postgres:postgres "$pgroot"
		as_postgres "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 >/dev/null
	fi
	if ! pg_running; then
		log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
		as_postgres "$pgbin/pg_ctl" -D "$pgdata" -l "$pgroot/postgres.log" -w \
			-o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off" start >/dev/null
	fi
	if ! as_postgres psql -h 127.0.0.1 -p "$PG_PORT" -Atc "select 1 from pg_roles where rolname='mmuser'" | grep -q 1; then
		as_postgres psql -h 127.0.0.1 -p "$PG_PORT" -qc "create role mmuser login password 'mmuser' createdb"
	fi
	if ! as_postgres psql -h 127.0.0.1 -p "$PG_PORT" -Atc "select 1 from pg_database where datname='mattermost'" | grep -q 1; then
		as_postgres psql -h 127.0.0.1 -p "$PG_PORT" -qc "create database mattermost owner mmuser"
	fi
}

mm_env() {
	export MM_SQLSETTINGS_DRIVERNAME=postgres
	export MM_SQLSETTINGS_DATASOURCE="postgres://mmuser:mmuser@127.0.0.1:$PG_PORT/mattermost?sslmode=disable&connect_timeout=10"
	export MM_SERVICESETTINGS_LISTENADDRESS="127.0.0.1:$MM_PORT"
	export MM_SERVICESETTINGS_SITEURL="$site"
	export MM_SERVICESETTINGS_ENABLELOCALMODE=true
	export MM_SERVICESETTINGS_LOCALMODESOCKETLOCATION="$mmhome/local.sock"
	export MM_SERVICESETTINGS_ENABLEUSERACCESSTOKENS=true
	export MM_SERVICESETTINGS_ENABLEBOTACCOUNTCREATION=true
	export MM_SERVICESETTINGS_ENABLESECURITYFIXALERT=false
	export MM_SERVICESETTINGS_ENABLELINKPREVIEWS=false
	export MM_PLUGINSETTINGS_ENABLE=true
	export MM_PLUGINSETTINGS_ENABLEUPLOADS=true
	export MM_PLUGINSETTINGS_AUTOMATICPREPACKAGEDPLUGINS=false
	export MM_PLUGINSETTINGS_ENABLEMARKETPLACE=false
	export MM_PLUGINSETTINGS_DIRECTORY="$mmhome/plugins"
	export MM_PLUGINSETTINGS_CLIENTDIRECTORY="$mmhome/client/plugins"
	export MM_FILESETTINGS_DIRECTORY="$mmhome/data"
	export MM_LOGSETTINGS_FILELOCATION="$mmhome/logs"
	export MM_LOGSETTINGS_CONSOLELEVEL=ERROR
	export MM_LOGSETTINGS_ENABLEDIAGNOSTICS=false
	export MM_RATELIMITSETTINGS_ENABLE=false
	export MM_TEAMSETTINGS_ENABLEOPENSERVER=true
	export MM_TEAMSETTINGS_MAXUSERSPERTEAM=100000
	export MM_TEAMSETTINGS_MAXCHANNELSPERTEAM=100000
	export MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS=false
	export MM_EMAILSETTINGS_REQUIREEMAILVERIFICATION=false
}

mm_running() { [[ -f "$mmhome/mattermost.pid" ]] && kill -0 "$(cat "$mmhome/mattermost.pid")" 2>/dev/null; }

ping() { curl -fsS -m 2 "$site/api/v4/system/ping" >/dev/null 2>&1; }

start_mm() {
	if mm_running && ping; then
		return
	fi
	if ping; then
		log "something else already answers on $site; stop it or set MM_PORT"
		exit 1
	fi
	mkdir -p "$mmhome/plugins" "$mmhome/client/plugins" "$mmhome/data" "$mmhome/logs"
	[[ -f "$mmhome/config.json" ]] || echo '{}' >"$mmhome/config.json"
	log "starting Mattermost on $site"
	(
		mm_env
		cd "$mmhome"
		exec "$bin/mattermost" server --config "$mmhome/config.json" >>"$mmhome/logs/stdout.log" 2>&1
	) &
	echo $! >"$mmhome/mattermost.pid"
	for _ in $(seq 1 120); do
		if ping; then
			log "Mattermost is up"
			return
		fi
		mm_running || { log "Mattermost exited; see $mmhome/logs"; tail -n 20 "$mmhome/logs/stdout.log" >&2; exit 1; }
		sleep 0.5
	done
	log "Mattermost did not answer within 60 s; see $mmhome/logs"
	exit 1
}

stop() {
	stop_second
	if mm_running; then
		local pid
		pid=$(cat "$mmhome/mattermost.pid")
		log "stopping Mattermost (pid $pid)"
		kill "$pid"
		for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
	fi
	rm -f "$mmhome/mattermost.pid"
	if pg_running; then
		log "stopping PostgreSQL"
		as_postgres "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
	fi
}

# The second server copies the first one's config (plugin states and
# settings) at each start, and overrides what must differ.
start_second() {
	mm_running || { log "start the first server first (build/server.sh start)"; exit 1; }
	local pidfile="$mmhome2/mattermost.pid" site2="http://127.0.0.1:$MM_PORT2"
	if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		return
	fi
	mkdir -p "$mmhome2/plugins" "$mmhome2/client/plugins" "$mmhome2/logs"
	cp "$mmhome/config.json" "$mmhome2/config.json"
	log "starting a second Mattermost on $site2"
	(
		mm_env
		export MM_SERVICESETTINGS_LISTENADDRESS="127.0.0.1:$MM_PORT2"
		export MM_SERVICESETTINGS_SITEURL="$site2"
		export MM_SERVICESETTINGS_LOCALMODESOCKETLOCATION="$mmhome2/local.sock"
		export MM_PLUGINSETTINGS_DIRECTORY="$mmhome2/plugins"
		export MM_PLUGINSETTINGS_CLIENTDIRECTORY="$mmhome2/client/plugins"
		export MM_LOGSETTINGS_FILELOCATION="$mmhome2/logs"
		cd "$mmhome2"
		exec "$bin/mattermost" server --config "$mmhome2/config.json" >>"$mmhome2/logs/stdout.log" 2>&1
	) &
	echo $! >"$pidfile"
	for _ in $(seq 1 120); do
		if curl -fsS -m 2 "$site2/api/v4/system/ping" >/dev/null 2>&1; then
			log "the second Mattermost is up"
			return
		fi
		kill -0 "$(cat "$pidfile")" 2>/dev/null || { log "the second Mattermost exited; see $mmhome2/logs"; tail -n 20 "$mmhome2/logs/stdout.log" >&2; exit 1; }
		sleep 0.5
	done
	log "the second Mattermost did not answer within 60 s; see $mmhome2/logs"
	exit 1
}

# stop_second sends SIGTERM (Mattermost shuts down gracefully) and waits.
stop_second() {
	local pidfile="$mmhome2/mattermost.pid"
	if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		local pid
		pid=$(cat "$pidfile")
		log "stopping the second Mattermost (pid $pid)"
		kill "$pid"
		for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
	fi
	rm -f "$pidfile"
}

status() {
	pg_running && echo "postgresql: running on 127.0.0.1:$PG_PORT" || echo "postgresql: stopped"
	mm_running && ping && echo "mattermost: running at $site" || echo "mattermost: stopped"
}

case "${1:-}" in
build) build ;;
start) build && start_pg && start_mm ;;
stop) stop ;;
status) status ;;
start-second) start_second ;;
stop-second) stop_second ;;
*) echo "usage: $0 build|start|stop|status|start-second|stop-second" >&2; exit 2 ;;
esac
