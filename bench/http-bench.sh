#!/usr/bin/env bash
# HTTP benchmark of the gateway against nginx, in one run, on 127.0.0.1 only: requests/s, p50 and p99 latency of
# 1 KiB responses over keep-alive connections, HTTP/1.1 and HTTP/2 (h2c, prior knowledge), measured with h2load for
#   (a) the origin directly        nginx serving a static 1 KiB file
#   (b) nginx reverse proxy         a second nginx, proxy_pass to (a) with a keep-alive upstream pool
#   (c) gateway, local skill        one node: HTTP listener -> ACIP session inside the process -> agent -> (a)
#   (d) gateway, three nodes        edge -> transit -> far (three JVMs, QUIC links on loopback) -> (a)
#   (e) gateway, local skill, JWT   (c) with edge authentication: every request carries a bearer JWT it verifies
# then one table with ratios against the targets of issue 13 ((c)/(b) >= 0.4, (d)/(b) >= 0.2, (c) p99 <= 3x (b) p99). See bench/README.md ("HTTP benchmark") for how to read it.
#
#   bench/http-bench.sh                 everything, about 3 minutes
#   ROWS=cd bench/http-bench.sh         only some rows (ratios need their reference rows)
#   PROFILE=1 bench/http-bench.sh       also record JFR in every gateway JVM and print hot methods per node
#
# Environment: DURATION (10 s measured per cell), WARMUP (3 s of load before each cell), JVM_WARMUP (15 s of each
# protocol before a gateway's first cell), H1_CONNS (32), H2_CONNS (8), H2_STREAMS (16), NGINX_WORKERS (auto),
# HEAP (1g), JVM_OPTS (extra gateway JVM flags), ORIGIN_H2C=1 (gateway agents speak h2c to the origin; nginx's
# upstream is HTTP/1.1 whatever this says), ACCESS_LOG=true (the gateways' access log on, as by default; off here
# like nginx's), POOL=false (every HTTP exchange opens its own ACIP session, as before docs/acip-v0.md §13), EVENT_LOOPS (the
# gateways' node.event_loops; 0, the default, is one per core), JAVA, REBUILD=1, KEEP_LOGS=1 (keep h2load per-request logs),
# WORK (working directory; default a fresh one under /tmp, kept for inspection).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TEMPLATES=$ROOT/bench/http

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
JVM_WARMUP=${JVM_WARMUP:-15}
H1_CONNS=${H1_CONNS:-32}
H2_CONNS=${H2_CONNS:-8}
H2_STREAMS=${H2_STREAMS:-16}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
HEAP=${HEAP:-1g}
ROWS=${ROWS:-abcde}
PROFILE=${PROFILE:-0}
ORIGIN_H2C=${ORIGIN_H2C:-0}
ACCESS_LOG=${ACCESS_LOG:-false}
POOL=${POOL:-true}
EVENT_LOOPS=${EVENT_LOOPS:-0}
JAVA=${JAVA:-java}

# Fixed loopback ports.
ORIGIN_H1=18081 ORIGIN_H2=18082 PROXY_H1=18083 PROXY_H2=18084
LOCAL_HTTP=18090 LOCAL_ADMIN=19990
EDGE_HTTP=18091 EDGE_ADMIN=19991 TRANSIT_ADMIN=19992 FAR_ADMIN=19993 TRANSIT_LINK=17100
FILE_PATH=/1k.bin
SKILL_PATH=/skills/bench/file$FILE_PATH

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# --- tools ------------------------------------------------------------------------------------------------------
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
need_pkgs=()
command -v h2load >/dev/null 2>&1 || need_pkgs+=(nghttp2-client)
[[ -x $NGINX ]] || need_pkgs+=(nginx)
command -v curl >/dev/null 2>&1 || need_pkgs+=(curl)
if ((${#need_pkgs[@]})); then
  log "installing ${need_pkgs[*]}"
  SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >&2
  $SUDO apt-get install -y -q --no-install-recommends "${need_pkgs[@]}" >&2
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi
command -v "$JAVA" >/dev/null || die "no java (JAVA=$JAVA)"

# --- the gateway jar (copied: other builds may replace it while we run) ------------------------------------------
JAR=gateway/target/acip-gateway.jar
needs_build() {
  [[ ${REBUILD:-0} == 1 || ! -f $JAR ]] && return 0
  [[ -n $(find pom.xml capsule tls acip-egress http-ingress gateway -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' \) -newer "$JAR" -print -quit 2>/dev/null) ]]
}
if [[ $ROWS == *[cde]* ]] && needs_build; then
  log "building $JAR"
  if ! ./mvnw -B -q -o package -DskipTests -pl gateway -am >&2 \
      && ! ./mvnw -B -q package -DskipTests -pl gateway -am >&2; then
    [[ -f $JAR ]] || die "build of $JAR failed"
    log "WARNING: build failed (sources being edited?); measuring the existing $JAR of $(date -r "$JAR" +%T)"
  fi
fi

# --- working directory, cleanup ------------------------------------------------------------------------------------
WORK=${WORK:-$(mktemp -d /tmp/acip-http-bench.XXXXXX)}
mkdir -p "$WORK"/{www,tmp,out,conf,jfr}
chmod 755 "$WORK" "$WORK/www"   # nginx workers run as an unprivileged user when the master is root
head -c 1024 /dev/urandom >"$WORK/www$FILE_PATH"
chmod 644 "$WORK/www$FILE_PATH"
[[ $ROWS == *[cde]* ]] && cp "$JAR" "$WORK/acip-gateway.jar"

declare -A JAVA_PIDS=()   # node name -> pid
NGINX_PIDFILES=()
stop_java() {
  local name=$1 pid=${JAVA_PIDS[$1]:-}
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "JAVA_PIDS[$name]"
}
cleanup() {
  local n f
  for n in "${!JAVA_PIDS[@]}"; do stop_java "$n"; done
  for f in "${NGINX_PIDFILES[@]}"; do [[ -f $f ]] && kill -TERM "$(cat "$f")" 2>/dev/null || true; done
  [[ ${KEEP_LOGS:-0} == 1 ]] || rm -f "$WORK"/out/*.log
}
trap cleanup EXIT
trap 'exit 130' INT TERM

render() {   # template -> $WORK/conf/<name>
  local agent_origin=http://127.0.0.1:$ORIGIN_H1 agent_h2c=false
  if [[ $ORIGIN_H2C == 1 ]]; then agent_origin=http://127.0.0.1:$ORIGIN_H2; agent_h2c=true; fi
  sed -e "s|@WORK@|$WORK|g" -e "s|@WORKERS@|$NGINX_WORKERS|g" \
      -e "s|@ORIGIN_H1@|$ORIGIN_H1|g" -e "s|@ORIGIN_H2@|$ORIGIN_H2|g" \
      -e "s|@PROXY_H1@|$PROXY_H1|g" -e "s|@PROXY_H2@|$PROXY_H2|g" \
      -e "s|@LOCAL_HTTP@|$LOCAL_HTTP|g" -e "s|@LOCAL_ADMIN@|$LOCAL_ADMIN|g" \
      -e "s|@EDGE_HTTP@|$EDGE_HTTP|g" -e "s|@EDGE_ADMIN@|$EDGE_ADMIN|g" \
      -e "s|@TRANSIT_ADMIN@|$TRANSIT_ADMIN|g" -e "s|@FAR_ADMIN@|$FAR_ADMIN|g" \
      -e "s|@TRANSIT_LINK@|$TRANSIT_LINK|g" \
      -e "s|@AGENT_ORIGIN@|$agent_origin|g" -e "s|@AGENT_H2C@|$agent_h2c|g" -e "s|@EVENT_LOOPS@|$EVENT_LOOPS|g" \
      -e "s|@ACCESS_LOG@|$ACCESS_LOG|g" -e "s|@POOL@|$POOL|g" \
      "$TEMPLATES/$1" >"$WORK/conf/$1"
  echo "$WORK/conf/$1"
}

start_nginx() {   # name
  local conf
  conf=$(render "nginx-$1.conf")
  "$NGINX" -t -q -p "$WORK" -e "$WORK/nginx-$1.err" -c "$conf" || die "nginx $1 config refused"
  "$NGINX" -p "$WORK" -e "$WORK/nginx-$1.err" -c "$conf"
  NGINX_PIDFILES+=("$WORK/nginx-$1.pid")
  for _ in $(seq 50); do [[ -s $WORK/nginx-$1.pid ]] && break; sleep 0.1; done
  [[ -s $WORK/nginx-$1.pid ]] || die "nginx $1 did not start (see $WORK/nginx-$1.err)"
}
nginx_pids() {   # master and workers
  local m
  m=$(cat "$WORK/nginx-$1.pid")
  echo "$m" $(pgrep -P "$m" || true)
}

start_gateway() {   # name template
  local conf jfr=()
  conf=$(render "$2")
  if [[ $PROFILE == 1 ]]; then
    jfr=("-XX:StartFlightRecording=filename=$WORK/jfr/$1.jfr,settings=profile,dumponexit=true")
  fi
  # shellcheck disable=SC2086
  "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" -Dio.netty.leakDetection.level=disabled "${jfr[@]}" ${JVM_OPTS:-} \
    -jar "$WORK/acip-gateway.jar" --config "$conf" >"$WORK/out/gw-$1.txt" 2>&1 &
  JAVA_PIDS[$1]=$!
  for _ in $(seq 300); do
    grep -q "node $1 started" "$WORK/out/gw-$1.txt" 2>/dev/null && return 0
    kill -0 "${JAVA_PIDS[$1]}" 2>/dev/null || { cat "$WORK/out/gw-$1.txt" >&2; die "gateway $1 exited"; }
    sleep 0.1
  done
  cat "$WORK/out/gw-$1.txt" >&2
  die "gateway $1 did not start in 30 s"
}

# GET url over h1 or h2 (prior knowledge), with the header in CHECK_HEADER if set; true if 200 and the body is the file.
CHECK_HEADER=
check_once() {
  local flag=--http1.1 hdr=()
  [[ $2 == h2 ]] && flag=--http2-prior-knowledge
  [[ -n $CHECK_HEADER ]] && hdr=(-H "$CHECK_HEADER")
  [[ $(curl -s $flag "${hdr[@]}" --max-time 5 -o "$WORK/tmp/body" -w '%{http_code}' "$1" 2>/dev/null) == 200 ]] \
    && cmp -s "$WORK/tmp/body" "$WORK/www$FILE_PATH"
}
wait_ready() {   # h1-url [h2-url]: both protocols must answer with the file, within 30 s
  local h2=${2:-$1}
  for _ in $(seq 150); do
    check_once "$1" h1 && check_once "$h2" h2 && return 0
    sleep 0.2
  done
  curl -s -i --max-time 5 "$1" | head -20 >&2 || true
  die "$1 (HTTP/1.1) and $h2 (h2c) do not both serve the file"
}

# --- CPU accounting -----------------------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
proc_ticks() {   # utime+stime of processes (all threads), in ticks
  local t=0 p s
  for p in "$@"; do
    s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    s=${s##*) }
    set -- $s
    t=$((t + ${12} + ${13}))
  done
  echo $t
}
machine_busy() {   # busy ticks of the whole machine (all CPUs)
  local _ u n s i w q sq st
  read -r _ u n s i w q sq st _ </proc/stat
  echo $((u + n + s + q + sq + st))
}
thread_ticks() {   # "pid/tid name ticks" per thread of the given processes
  local p f s name
  for p in "$@"; do
    for f in /proc/"$p"/task/*/stat; do
      s=$(cat "$f" 2>/dev/null) || continue
      name=${s#*(}; name=${name%)*}; name=${name// /_}
      s=${s##*) }
      set -- $s
      echo "${f%/stat} $name $((${12} + ${13}))"
    done
  done
}

# --- one measurement -----------------------------------------------------------------------------------------------
RESULTS=$WORK/results.tsv
: >"$RESULTS"
BUSIEST=$WORK/busiest.txt
: >"$BUSIEST"

# run_cell row proto url server-pids... (extra h2load arguments, such as a header, in the array CELL_ARGS)
CELL_ARGS=()
run_cell() {
  local row=$1 proto=$2 url=$3; shift 3
  local name=$row-$proto args out=$WORK/out/$row-$proto.txt logf=$WORK/out/$row-$proto.log
  if [[ $proto == h1 ]]; then args=(--h1 -c "$H1_CONNS" -m 1); else args=(-c "$H2_CONNS" -m "$H2_STREAMS"); fi
  args+=("${CELL_ARGS[@]}")
  local gw_pids=()
  [[ $row == [cde] ]] && gw_pids=("${JAVA_PIDS[@]}")
  local s0 m0 t0 th0 s1 m1 t1 client_cpu
  th0=$(thread_ticks "${gw_pids[@]}")
  s0=$(proc_ticks "$@"); m0=$(machine_busy); t0=$(date +%s%N)
  local TIMEFORMAT='%U %S'
  { time timeout $((WARMUP + DURATION + 60)) h2load "${args[@]}" -t 1 -D "$DURATION" --warm-up-time "$WARMUP" \
      --log-file "$logf" "$url" >"$out" 2>&1; } 2>"$WORK/tmp/time" || true
  s1=$(proc_ticks "$@"); m1=$(machine_busy); t1=$(date +%s%N)
  client_cpu=$(awk '{print $1 + $2}' "$WORK/tmp/time")
  if ((${#gw_pids[@]})); then
    # The five busiest gateway threads over the cell, % of one core, with their node.
    local names="" n
    for n in "${!JAVA_PIDS[@]}"; do names="$names ${JAVA_PIDS[$n]}=$n"; done
    LC_ALL=C join <(echo "$th0" | LC_ALL=C sort) <(thread_ticks "${gw_pids[@]}" | LC_ALL=C sort) \
      | awk -v ns=$((t1 - t0)) -v hz="$CLK_TCK" -v cell="$name" -v names="$names" '
          BEGIN { k = split(names, a, " "); for (i = 1; i <= k; i++) { split(a[i], kv, "="); node[kv[1]] = kv[2] } }
          { split($1, p, "/"); pct = ($5 - $3) / hz / (ns / 1e9) * 100
            if (pct >= 1) printf "%s\t%.0f\t%s:%s\n", cell, pct, node[p[3]], $2 }' \
      | sort -t$'\t' -k2,2nr | head -5 | awk -F'\t' -v c="$name" '
          { s = s (s ? ", " : "") $3 " " $2 "%" } END { if (s) print c ": " s }' >>"$BUSIEST"
  fi
  # req/s as h2load computes it (main duration only); latency percentiles from the per-request log (µs).
  local rps reqline
  rps=$(awk '/^finished in/ { gsub(",", "", $4); print $4 }' "$out")
  reqline=$(grep '^requests:' "$out" || echo "requests: 0 total, 0 started, 0 done, 0 succeeded, 0 failed, 0 errored, 0 timeout")
  local failed errored tmo done non200 p50 p99
  done=$(echo "$reqline" | awk '{print $6}')
  failed=$(echo "$reqline" | awk '{print $10}')
  errored=$(echo "$reqline" | awk '{print $12}')
  tmo=$(echo "$reqline" | awk '{print $14}')
  # h2load logs status 0 for requests sent during the warm-up that complete in the measured window (h2load resets
  # its statistics in between; they count as succeeded); any other status but 200 is an error.
  if [[ -s $logf ]]; then
    non200=$(awk '$2 != 200 && $2 != 0' "$logf" | wc -l)
    read -r p50 p99 < <(cut -f3 "$logf" | sort -n | awk '{ v[NR] = $1 } END {
        i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999); print v[i50], v[i99] }')
  else
    non200=0 p50=NA p99=NA
  fi
  local non2xx errors=$((failed + errored + tmo))
  non2xx=$(awk '/^status codes:/ { print $5 + $7 + $9 }' "$out")
  ((${non2xx:-0} > errors)) && errors=$non2xx
  ((non200 > errors)) && errors=$non200
  [[ -z $rps || ${done:-0} == 0 ]] && { rps=0; errors=$((errors > 0 ? errors : 1)); }
  local cores other load
  cores=$(awk -v d=$((s1 - s0)) -v hz="$CLK_TCK" -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", d / hz / (ns / 1e9) }')
  client_cpu=$(awk -v c="$client_cpu" -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", c / (ns / 1e9) }')
  other=$(awk -v m=$((m1 - m0)) -v s=$((s1 - s0)) -v c="$client_cpu" -v hz="$CLK_TCK" -v ns=$((t1 - t0)) \
    'BEGIN { o = (m - s) / hz / (ns / 1e9) - c; printf "%.2f", o < 0 ? 0 : o }')
  load=$(cut -d' ' -f1 /proc/loadavg)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$row" "$proto" "$rps" "$p50" "$p99" "$errors" "$cores" \
    "$client_cpu" "$other" "$load" >>"$RESULTS"
  log "$name: $rps req/s, p50 ${p50} us, p99 ${p99} us, errors $errors, server ${cores} cores, client ${client_cpu}, other ${other}, load $load"
  [[ ${KEEP_LOGS:-0} == 1 ]] || rm -f "$logf"
}

jvm_warmup() {   # url: load on both protocols so the first measured cell does not pay for JIT compilation
  log "JVM warm-up: ${JVM_WARMUP} s per protocol"
  timeout $((JVM_WARMUP + 30)) h2load --h1 -c "$H1_CONNS" -m 1 -D "$JVM_WARMUP" "${CELL_ARGS[@]}" "$1" \
    >"$WORK/tmp/warm" 2>&1 || true
  timeout $((JVM_WARMUP + 30)) h2load -c "$H2_CONNS" -m "$H2_STREAMS" -D "$JVM_WARMUP" "${CELL_ARGS[@]}" "$1" \
    >"$WORK/tmp/warm" 2>&1 || true
}

# --- the run ---------------------------------------------------------------------------------------------------------
log "work dir $WORK; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $("$NGINX" -v 2>&1); $(h2load --version | head -1)"
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1)
REVISION=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -n $(git status --porcelain 2>/dev/null | head -1) ]] && REVISION="$REVISION+local changes"
log "$JAVA_VERSION; revision $REVISION"
log "cells: ${WARMUP} s warm-up + ${DURATION} s measured; h1 -c $H1_CONNS -m 1, h2c -c $H2_CONNS -m $H2_STREAMS; h2load -t 1"
START=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

start_nginx origin
ORIGIN_PIDS=$(nginx_pids origin)
wait_ready "http://127.0.0.1:$ORIGIN_H1$FILE_PATH" "http://127.0.0.1:$ORIGIN_H2$FILE_PATH"

if [[ $ROWS == *a* ]]; then
  run_cell a h1 "http://127.0.0.1:$ORIGIN_H1$FILE_PATH" $ORIGIN_PIDS
  run_cell a h2 "http://127.0.0.1:$ORIGIN_H2$FILE_PATH" $ORIGIN_PIDS
fi

if [[ $ROWS == *b* ]]; then
  start_nginx proxy
  wait_ready "http://127.0.0.1:$PROXY_H1$FILE_PATH" "http://127.0.0.1:$PROXY_H2$FILE_PATH"
  PROXY_PIDS=$(nginx_pids proxy)
  run_cell b h1 "http://127.0.0.1:$PROXY_H1$FILE_PATH" $PROXY_PIDS $ORIGIN_PIDS
  run_cell b h2 "http://127.0.0.1:$PROXY_H2$FILE_PATH" $PROXY_PIDS $ORIGIN_PIDS
  kill -TERM "$(cat "$WORK/nginx-proxy.pid")"
fi

if [[ $ROWS == *c* ]]; then
  start_gateway bench-local gw-local.yaml
  URL=http://127.0.0.1:$LOCAL_HTTP$SKILL_PATH
  wait_ready "$URL"
  jvm_warmup "$URL"
  run_cell c h1 "$URL" "${JAVA_PIDS[bench-local]}" $ORIGIN_PIDS
  run_cell c h2 "$URL" "${JAVA_PIDS[bench-local]}" $ORIGIN_PIDS
  curl -s "http://127.0.0.1:$LOCAL_ADMIN/metrics" >"$WORK/out/metrics-bench-local.txt" || true
  stop_java bench-local
fi

if [[ $ROWS == *d* ]]; then
  start_gateway transit gw-transit.yaml        # creates the fabric CA under its data dir
  start_gateway far gw-far.yaml
  start_gateway edge gw-edge.yaml
  URL=http://127.0.0.1:$EDGE_HTTP$SKILL_PATH
  wait_ready "$URL"
  jvm_warmup "$URL"
  D_PIDS=("${JAVA_PIDS[edge]}" "${JAVA_PIDS[transit]}" "${JAVA_PIDS[far]}")
  run_cell d h1 "$URL" "${D_PIDS[@]}" $ORIGIN_PIDS
  run_cell d h2 "$URL" "${D_PIDS[@]}" $ORIGIN_PIDS
  curl -s "http://127.0.0.1:$EDGE_ADMIN/metrics" >"$WORK/out/metrics-edge.txt" || true
  curl -s "http://127.0.0.1:$TRANSIT_ADMIN/metrics" >"$WORK/out/metrics-transit.txt" || true
  curl -s "http://127.0.0.1:$FAR_ADMIN/metrics" >"$WORK/out/metrics-far.txt" || true
  for n in edge far transit; do stop_java "$n"; done
fi

if [[ $ROWS == *e* ]]; then
  TOKEN=$("$JAVA" -cp "$WORK/acip-gateway.jar" "$TEMPLATES/MintToken.java" "$WORK/jwks.json") || die "MintToken failed"
  start_gateway bench-local gw-local-jwt.yaml
  URL=http://127.0.0.1:$LOCAL_HTTP$SKILL_PATH
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$URL") == 401 ]] || die "(e) serves a request without a token"
  CHECK_HEADER="authorization: Bearer $TOKEN"
  CELL_ARGS=(-H "authorization: Bearer $TOKEN")
  wait_ready "$URL"
  jvm_warmup "$URL"
  run_cell e h1 "$URL" "${JAVA_PIDS[bench-local]}" $ORIGIN_PIDS
  run_cell e h2 "$URL" "${JAVA_PIDS[bench-local]}" $ORIGIN_PIDS
  CELL_ARGS=() CHECK_HEADER=
  curl -s "http://127.0.0.1:$LOCAL_ADMIN/metrics" >"$WORK/out/metrics-bench-local-jwt.txt" || true
  stop_java bench-local
fi

# --- the table -------------------------------------------------------------------------------------------------------
ELAPSED=$(($(date +%s) - START))
{
  echo
  echo "ACIP gateway HTTP benchmark: 1 KiB GET, keep-alive, ${DURATION} s per cell after ${WARMUP} s warm-up, 127.0.0.1"
  echo "h1 = HTTP/1.1 (h2load --h1 -c $H1_CONNS -m 1), h2 = h2c prior knowledge (-c $H2_CONNS -m $H2_STREAMS);" \
       "$(nproc) cores; load average at start $LOAD_START; run took ${ELAPSED} s"
  echo "origin upstream of (b): HTTP/1.1 keep-alive pool; of (c)/(d): $([[ $ORIGIN_H2C == 1 ]] && echo "h2c (Jetty client)" || echo "HTTP/1.1 (on the node's loops)")"
  [[ $ROWS == *[cde]* ]] && echo "gateway: $JAVA_VERSION, -Xms$HEAP -Xmx$HEAP ${JVM_OPTS:-}; session pool $POOL; node event loops $EVENT_LOOPS (0: one per core); revision $REVISION, jar of $(date -r "$WORK/acip-gateway.jar" '+%F %T')"
  echo
  awk -F'\t' '
    BEGIN {
      label["a"] = "(a) origin direct (nginx)"; label["b"] = "(b) nginx reverse proxy"
      label["c"] = "(c) gateway, local skill"; label["d"] = "(d) gateway, 3 nodes"
      label["e"] = "(e) (c) with JWT auth"
      printf "%-27s %-5s %10s %9s %9s %7s %7s %7s %7s %6s\n", "row", "proto", "req/s", "p50 ms", "p99 ms", "errors", "srv cpu", "h2load", "other", "load1"
    }
    {
      p50 = $4 == "NA" ? "n/a" : sprintf("%.2f", $4 / 1000); p99 = $5 == "NA" ? "n/a" : sprintf("%.2f", $5 / 1000)
      printf "%-27s %-5s %10.0f %9s %9s %7d %7s %7s %7s %6s\n", label[$1], $2, $3, p50, p99, $6, $7, $8, $9, $10
    }' "$RESULTS"
  echo
  echo "errors: h2load's failed + errored + timed out requests, or responses other than 200, whichever is larger;"
  echo "a cell with errors is no result. p50/p99 from h2load's per-request log of the measured window."
  echo "srv cpu: cores used by the system under test (nginx processes, gateway JVMs; the origin nginx counts in every"
  echo "row); h2load: cores used by the client; other: everything else on the machine (other builds, kernel threads)."
  echo
  awk -F'\t' '
    { rps[$1 "," $2] = $3; p99[$1 "," $2] = $5; err[$1 "," $2] = $6 }
    function ratio(n, d, p, of) {
      if (!((n "," p) in rps) || !((d "," p) in rps)) return "   n/a"
      if (err[n "," p] > 0 || err[d "," p] > 0 || rps[d "," p] == 0) return "errors"
      if (of == "p99") return (p99[n "," p] == "NA" || p99[d "," p] == "NA" || p99[d "," p] == 0) ? "   n/a" \
          : sprintf("%6.3f", p99[n "," p] / p99[d "," p])
      return sprintf("%6.3f", rps[n "," p] / rps[d "," p])
    }
    # At least t (req/s), or at most t (p99).
    function verdict(n, d, t, of,   r1, r2) {
      r1 = ratio(n, d, "h1", of); r2 = ratio(n, d, "h2", of)
      if (r1 ~ /n\/a|errors/ || r2 ~ /n\/a|errors/) return "no result"
      if (of == "p99") return (r1 + 0 <= t && r2 + 0 <= t) ? "met" : "MISSED"
      return (r1 + 0 >= t && r2 + 0 >= t) ? "met" : "MISSED"
    }
    END {
      printf "%-34s %8s %8s %8s  %s\n", "ratio", "h1", "h2", "target", "verdict"
      printf "%-34s %8s %8s %8s  %s\n", "(c)/(b) req/s local gw / nginx proxy", ratio("c", "b", "h1"), ratio("c", "b", "h2"), ">= 0.40", verdict("c", "b", 0.4)
      printf "%-34s %8s %8s %8s  %s\n", "(d)/(b) req/s 3 nodes / nginx proxy", ratio("d", "b", "h1"), ratio("d", "b", "h2"), ">= 0.20", verdict("d", "b", 0.2)
      printf "%-34s %8s %8s %8s  %s\n", "(c)/(b) p99 local gw / nginx proxy", ratio("c", "b", "h1", "p99"), ratio("c", "b", "h2", "p99"), "<= 3.00", verdict("c", "b", 3, "p99")
      printf "%-34s %8s %8s %8s  %s\n", "(e)/(c) req/s JWT auth on / off", ratio("e", "c", "h1"), ratio("e", "c", "h2"), ">= 0.90", verdict("e", "c", 0.9)
    }' "$RESULTS"
  if [[ -s $BUSIEST ]]; then
    echo
    echo "busiest gateway threads per cell (node:thread % of one core; acip-node-P-N = the node's event loops,"
    echo "C2_CompilerThre = the JIT still compiling):"
    sed 's/^/  /' "$BUSIEST"
  fi
  echo
  echo "raw h2load output, gateway logs and metrics: $WORK/out"
} | tee "$WORK/table.txt"

if [[ $PROFILE == 1 ]]; then
  for n in "${!JAVA_PIDS[@]}"; do stop_java "$n"; done
  for f in "$WORK"/jfr/*.jfr; do
    [[ -f $f ]] || continue
    echo
    echo "=== JFR $(basename "$f" .jfr) (all of its cells, warm-up included): $f"
    # Exchanges the JVM served: the requests its edge answered (transit and far carry the edge's).
    node=$(basename "$f" .jfr); metrics="$WORK/out/metrics-$node.txt"
    [[ $node == transit || $node == far ]] && metrics="$WORK/out/metrics-edge.txt"
    exchanges=$(awk '/^gateway_request_total\{/ {s += $2} END {printf "%d", s}' "$metrics" 2>/dev/null || echo 0)
    "$JAVA" "$TEMPLATES/JfrSummary.java" "$f" 15 "${exchanges:-0}" || true
  done | tee -a "$WORK/table.txt"
fi
