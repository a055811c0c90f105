# Shared by the benchmark scripts: the JDK, the jar, a server on a store, and tools.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/java-home.sh"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
PGURL_BASE="${ROSTER_BENCH_PG:-jdbc:postgresql://127.0.0.1:5432}"
PGUSER="${ROSTER_BENCH_PGUSER:-postgres}"

need() { # command, Debian package
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1; apt-get install -y "$2" >/dev/null; }
    fi
    command -v "$1" >/dev/null 2>&1 || { echo "bench: needs $1 (Debian package $2)" >&2; exit 1; }
}

build_jar() {
    if [ ! -f "$ROOT/target/roster.jar" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$ROOT/target/roster.jar" -print -quit)" ]; then
        (cd "$ROOT" && ./mvnw -q -B package -DskipTests) >&2
    fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_server NAME STORE_ARGS...: starts roster serve, waits until ready; sets SERVER_PID, PORT, TOKEN, API
start_server() {
    local name="$1"; shift
    PORT=$(free_port)
    "$JAVA_HOME/bin/java" ${ROSTER_BENCH_JAVA_OPTS:-} -jar "${ROSTER_BENCH_JAR:-$ROOT/target/roster.jar}" serve --port "$PORT" "$@" \
        >"$OUT/$name.out" 2>"$OUT/$name.log" &
    SERVER_PID=$!
    for _ in $(seq 1 300); do
        curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "bench: server $name died:" >&2; cat "$OUT/$name.log" >&2; exit 1; }
        sleep 0.1
    done
    TOKEN=$(sed -n 's/^  master token: *//p' "$OUT/$name.out")
    API="http://127.0.0.1:$PORT/api/v1.1"
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
}

call() { # method, json body -> prints the answer, fails unless error 0
    local answer
    answer=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$2" "$API/$1")
    case "$answer" in *'"error":0'*) echo "$answer" ;; *) echo "bench: $1 failed: $answer" >&2; exit 1 ;; esac
}

json_id() { sed -n 's/.*"id":\([0-9]*\).*/\1/p'; }

fresh_pg_database() { # name -> creates it empty
    psql -h 127.0.0.1 -U "$PGUSER" -qc "drop database if exists $1 with (force)" postgres >/dev/null
    psql -h 127.0.0.1 -U "$PGUSER" -qc "create database $1" postgres >/dev/null
}

drop_pg_database() {
    psql -h 127.0.0.1 -U "$PGUSER" -qc "drop database if exists $1 with (force)" postgres >/dev/null || true
}

# wrk_summary FILE -> "rate p50 p99 non2xx" from wrk --latency output (latencies in ms)
wrk_summary() {
    local rate p50 p99 bad
    rate=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1")
    p50=$(awk '$1=="50%"{print $2}' "$1" | to_ms)
    p99=$(awk '$1=="99%"{print $2}' "$1" | to_ms)
    bad=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$1"); bad=${bad:-0}
    echo "$rate $p50 $p99 $bad"
}

to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; printf "%.2f", v}'; }
