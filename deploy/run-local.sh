#!/usr/bin/env bash
# Runs the whole gateway on this machine: a real Kafka broker (KRaft, single node, from Maven
# Central jars), a real PostgreSQL server (17, binaries from Maven Central), the simulator of every
# vendor module (providers/*/), and the three services. Needs only a JDK (17+) and network access to
# Maven Central for the first build. Ctrl-C (or SIGTERM)
# stops everything it started. Nothing here names a vendor: SimulatorsMain finds the simulators on
# the connector's classpath and writes the bots file (one bot per provider, at its simulator).
#
# Any configuration can be overridden from the environment, e.g.
#   GATEWAY_BOTS_OPENAI_URL=http://127.0.0.1:9999 deploy/run-local.sh
#   SIMULATOR_PORTS=free deploy/run-local.sh     # simulators on free ports (fixed: 9101, 9102, …)
#
# A local cluster (deploy/README.md): CONNECTOR_REPLICAS, SESSION_REPLICAS, INGRESS_REPLICAS, 1 each
# by default. With more than one ingress or session replica, HAProxy (install it yourself:
# apt-get install haproxy) listens on INGRESS_PORT / SESSION_PORT in front of the replicas, each on
# a port of its own (REPLICA_PORT and the next free ones; connectors: CONNECTOR_PORT and the next
# free ones). $RUN_DIR/processes.json lists every process started. In a cluster, a process that
# exits leaves the others running, and `kill -USR1 $(cat $RUN_DIR/run-local.pid)` starts again
# every one that exited.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN_DIR=${RUN_DIR:-$ROOT/deploy/.run}
LOG_DIR=$RUN_DIR/logs
mkdir -p "$LOG_DIR"

# --- configuration (environment wins) -------------------------------------------------------
export KAFKA_PORT=${KAFKA_PORT:-9092}
export KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
export KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}
# PostgreSQL on 5433, not 5432: a PostgreSQL installed on the machine usually listens on 5432, and
# this one must not stop the run (nor the services write into it). Its data: $RUN_DIR/postgres-data.
export POSTGRES_PORT=${POSTGRES_PORT:-5433}
export QUARKUS_DATASOURCE_JDBC_URL=${QUARKUS_DATASOURCE_JDBC_URL:-jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/gateway}
export QUARKUS_DATASOURCE_USERNAME=${QUARKUS_DATASOURCE_USERNAME:-gateway}
export QUARKUS_DATASOURCE_PASSWORD=${QUARKUS_DATASOURCE_PASSWORD:-gateway}
export INGRESS_PORT=${INGRESS_PORT:-8080}
export SESSION_PORT=${SESSION_PORT:-8081}
export CONNECTOR_PORT=${CONNECTOR_PORT:-8082}
SIMULATOR_PORTS=${SIMULATOR_PORTS:-fixed}
# One bot per vendor, each at its simulator, written by the simulators at start (config_ordinal
# 250: environment variables and system properties still win).
BOTS_FILE=${BOTS_FILE:-$RUN_DIR/local-bots.properties}
export GATEWAY_API_KEYS=${GATEWAY_API_KEYS:-local-dev-key}
export GATEWAY_STREAM_TOKEN_SECRET=${GATEWAY_STREAM_TOKEN_SECRET:-local-dev-stream-token-secret}
export GATEWAY_STREAM_PUBLIC_URL=${GATEWAY_STREAM_PUBLIC_URL:-ws://127.0.0.1:$SESSION_PORT}
export SIMULATOR_API_KEY=${SIMULATOR_API_KEY:-sim-key}
# The chat page (http://127.0.0.1:$INGRESS_PORT/chat/) and its token endpoint: local runs only.
export GATEWAY_DEMO_PAGE_ENABLED=${GATEWAY_DEMO_PAGE_ENABLED:-true}
# A local run listens on loopback only: the demo endpoint acts as the first API key.
export QUARKUS_HTTP_HOST=${QUARKUS_HTTP_HOST:-127.0.0.1}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:--Xmx384m}
SERVICE_OPTS="$JAVA_OPTS -Dquarkus.config.locations=$BOTS_FILE"

# A local cluster: how many processes of each service. More than one ingress or session replica
# puts HAProxy on INGRESS_PORT / SESSION_PORT, the replicas behind it from REPLICA_PORT on (the
# next free port each); connector replicas (no balancer: they share Kafka's consumer groups) take
# CONNECTOR_PORT and the next free ones.
CONNECTOR_REPLICAS=${CONNECTOR_REPLICAS:-1}
SESSION_REPLICAS=${SESSION_REPLICAS:-1}
INGRESS_REPLICAS=${INGRESS_REPLICAS:-1}
REPLICA_PORT=${REPLICA_PORT:-8090}
# HAProxy's statistics page (which replica is up), with a balancer only.
HAPROXY_STATS_PORT=${HAPROXY_STATS_PORT:-8404}
# Debian's haproxy is in /usr/sbin, which is not on a user's PATH there.
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}

for var in CONNECTOR_REPLICAS SESSION_REPLICAS INGRESS_REPLICAS; do
  if [[ ! ${!var} =~ ^[1-9][0-9]?$ ]]; then
    echo "$var=${!var}: a number of processes from 1 to 99, please." >&2
    exit 2
  fi
done
cluster=false
if ((CONNECTOR_REPLICAS > 1 || SESSION_REPLICAS > 1 || INGRESS_REPLICAS > 1)); then
  cluster=true
fi
balancer=false
if ((SESSION_REPLICAS > 1 || INGRESS_REPLICAS > 1)); then
  balancer=true
  if ! command -v "$HAPROXY" >/dev/null 2>&1; then
    cat >&2 <<MISSING
INGRESS_REPLICAS=$INGRESS_REPLICAS and SESSION_REPLICAS=$SESSION_REPLICAS: more than one replica needs
HAProxy in front of them (on ports $INGRESS_PORT and $SESSION_PORT), and '$HAPROXY' is not installed.
Install it (Debian/Ubuntu: sudo apt-get install haproxy; macOS: brew install haproxy; or set
HAPROXY=/path/to/haproxy), or run one ingress and one session replica.
MISSING
    exit 1
  fi
fi

# --- build when something is missing -----------------------------------------------------------
jars=(
  "$ROOT/ingress-service/target/quarkus-app/quarkus-run.jar"
  "$ROOT/session-service/target/quarkus-app/quarkus-run.jar"
  "$ROOT/provider-connector-service/target/quarkus-app/quarkus-run.jar"
  "$ROOT/local-kafka/target/local-kafka-0.1.0-SNAPSHOT.jar"
  "$ROOT/local-postgres/target/local-postgres-0.1.0-SNAPSHOT.jar"
)
# Every vendor module's simulator is on the connector's classpath, with SimulatorsMain (SIMULATORS_CP: another
# classpath that has them).
SIMULATORS_CP=${SIMULATORS_CP:-"$ROOT/provider-connector-service/target/quarkus-app/lib/main/*"}
for jar in "${jars[@]}"; do
  if [[ ! -f $jar || ${BUILD:-} == 1 ]]; then
    echo "Building (./mvnw package, tests skipped) ..."
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests -DskipITs)
    break
  fi
done

# --- process management ------------------------------------------------------------------------
# One entry per process started, by index: its pid (empty once it exited), name, service, port
# (empty: none or several), all its ports, and its command (to start it again).
pids=()
names=()
services=()
ports=()
all_ports=()
commands=()
PROCESSES_FILE=$RUN_DIR/processes.json
PID_FILE=$RUN_DIR/run-local.pid
owner=false # whether this run owns processes.json and the pid file (not if another run does)

stop_all() {
  trap - INT TERM EXIT USR1
  echo
  echo "Stopping ..."
  # Services first, PostgreSQL and the broker last, so that they can close their clients cleanly.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    [[ -n ${pids[$i]} ]] || continue
    kill -TERM "${pids[$i]}" 2>/dev/null || true
    if [[ ${names[$i]} == kafka || ${names[$i]} == postgres ]]; then
      wait "${pids[$i]}" 2>/dev/null || true
    fi
  done
  local deadline=$((SECONDS + 20))
  for pid in "${pids[@]}"; do
    [[ -n $pid ]] || continue
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if $owner; then
    rm -f "$PROCESSES_FILE" "$PID_FILE"
  fi
  echo "Stopped."
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

# processes.json: what runs now, for an operator or a test (the file goes when the script stops).
write_processes() {
  local i sep='' pid port
  {
    echo '['
    for i in "${!pids[@]}"; do
      pid=${pids[$i]:-null}
      port=${ports[$i]:-null}
      printf '%s  {"name":"%s","service":"%s","pid":%s,"port":%s,"ports":[%s],"log":"%s"}' \
        "$sep" "${names[$i]}" "${services[$i]}" "$pid" "$port" "${all_ports[$i]}" "$LOG_DIR/${names[$i]}.log"
      sep=$',\n'
    done
    printf '\n]\n'
  } >"$PROCESSES_FILE.tmp"
  mv "$PROCESSES_FILE.tmp" "$PROCESSES_FILE"
}

launch() { # index: starts (again) the process of that entry, its output appended to its log
  local i=$1
  local -a command
  eval "command=(${commands[$i]})"
  "${command[@]}" >>"$LOG_DIR/${names[$i]}.log" 2>&1 &
  pids[i]=$!
}

start() { # name, service, port (or ''), all ports (comma-separated), command…
  local i=${#pids[@]}
  names[i]=$1
  services[i]=$2
  ports[i]=$3
  all_ports[i]=$4
  shift 4
  commands[i]=$(printf '%q ' "$@")
  : >"$LOG_DIR/${names[$i]}.log"
  launch "$i"
  write_processes
}

# In a cluster: every entry whose process exited is started again (kill -USR1 <this script>).
restart_exited() {
  local i
  for i in "${!pids[@]}"; do
    if [[ -z ${pids[$i]} ]]; then
      echo "--- started again by run-local.sh, $(date '+%F %T') ---" >>"$LOG_DIR/${names[$i]}.log"
      launch "$i"
      echo "${names[$i]} started again (pid ${pids[$i]}${ports[$i]:+, port ${ports[$i]}})" >&2
    fi
  done
  write_processes
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_vars=(KAFKA_PORT KAFKA_CONTROLLER_PORT POSTGRES_PORT INGRESS_PORT SESSION_PORT CONNECTOR_PORT)
if $balancer; then
  port_vars+=(HAPROXY_STATS_PORT)
fi
fixed_ports=()
# The simulators' own ports are theirs to check: SimulatorsMain exits naming a port in use.
for var in "${port_vars[@]}"; do
  fixed_ports+=("${!var}")
  if ! port_free "${!var}"; then
    server=''
    if [[ $var == POSTGRES_PORT ]]; then server=' (a PostgreSQL installed on this machine)'; fi
    echo "Port ${!var} ($var) is in use: is another run still going, or another server there$server?" \
      "Set $var to another port to move." >&2
    exit 1
  fi
done
owner=true
echo $$ >"$PID_FILE"
taken_ports=" ${fixed_ports[*]} "
next_port() { # from: sets $port to the first free port from there that this run has not taken yet
  port=$1
  while [[ $taken_ports == *" $port "* ]] || ! port_free "$port"; do
    port=$((port + 1))
  done
  taken_ports+="$port "
}

wait_for() { # name, timeout seconds, check command…
  local name=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    for i in "${!pids[@]}"; do
      if [[ -n ${pids[$i]} ]] && ! kill -0 "${pids[$i]}" 2>/dev/null; then
        echo "${names[$i]} exited; its log: $LOG_DIR/${names[$i]}.log" >&2
        tail -n 30 "$LOG_DIR/${names[$i]}.log" >&2
        exit 1
      fi
    done
    if ((SECONDS >= deadline)); then
      echo "$name not ready within ${timeout}s; see $LOG_DIR" >&2
      exit 1
    fi
    sleep 0.3
  done
}
ready() { curl -fsS "http://127.0.0.1:$1/q/health/ready"; }

started=$SECONDS
echo "Starting Kafka (KRaft) on 127.0.0.1:$KAFKA_PORT, data in $RUN_DIR/kafka-data ..."
start kafka kafka "$KAFKA_PORT" "$KAFKA_PORT,$KAFKA_CONTROLLER_PORT" \
  "$JAVA" -Xmx512m -cp "$ROOT/local-kafka/target/local-kafka-0.1.0-SNAPSHOT.jar:$ROOT/local-kafka/target/lib/*" \
  io.chatstream.localkafka.LocalKafkaMain "$RUN_DIR/kafka-data" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
# As root, the server itself runs as user postgres (or nobody) through setpriv: deploy/README.md.
echo "Starting PostgreSQL on 127.0.0.1:$POSTGRES_PORT, data in $RUN_DIR/postgres-data ..."
start postgres postgres "$POSTGRES_PORT" "$POSTGRES_PORT" \
  "$JAVA" -Xmx64m -cp "$ROOT/local-postgres/target/local-postgres-0.1.0-SNAPSHOT.jar:$ROOT/local-postgres/target/lib/*" \
  io.chatstream.localpostgres.LocalPostgresMain "$RUN_DIR/postgres-data" "$POSTGRES_PORT"
rm -f "$BOTS_FILE"
simulators=${#pids[@]}
start simulators simulators "" "" "$JAVA" -Xmx256m -cp "$SIMULATORS_CP" \
  io.chatstream.simulator.SimulatorsMain --ports="$SIMULATOR_PORTS" --bots-file="$BOTS_FILE" --pace=25ms
wait_for kafka 60 grep -q "KAFKA READY" "$LOG_DIR/kafka.log"
# The first run also extracts the binaries (once, into the temporary folder) and runs initdb.
wait_for postgres 90 grep -q "POSTGRES READY" "$LOG_DIR/postgres.log"
wait_for simulators 30 grep -q "SIMULATORS READY" "$LOG_DIR/simulators.log"
simulator_ports=$(sed -n 's/^simulator [a-z0-9]* on .*:\([0-9]*\)$/\1/p' "$LOG_DIR/simulators.log" | paste -sd, -)
all_ports[simulators]=$simulator_ports
taken_ports+="${simulator_ports//,/ } "
write_processes

# Each service: one process on its public port as ever, or, with more replicas, <short>-<n> each on
# a port of its own (chosen after the simulators started: their ports are taken by then).
plan=() # "service name port" of every service process, in start order
plan_service() { # service, short name, replicas, public port, where the ports of the others start
  local n
  if (($3 == 1)); then
    plan+=("$1 $1 $4")
    return
  fi
  for ((n = 1; n <= $3; n++)); do
    if [[ $1 == provider-connector-service && $n == 1 ]]; then
      port=$4 # the first connector keeps its port
    else
      next_port "$5"
    fi
    plan+=("$1 $2-$n $port")
  done
}
plan_service session-service session "$SESSION_REPLICAS" "$SESSION_PORT" "$REPLICA_PORT"
plan_service provider-connector-service connector "$CONNECTOR_REPLICAS" "$CONNECTOR_PORT" "$((CONNECTOR_PORT + 1))"
plan_service ingress-service ingress "$INGRESS_REPLICAS" "$INGRESS_PORT" "$REPLICA_PORT"
replicas_of() { # service: "name port" of each of its processes, a line each
  local entry
  for entry in "${plan[@]}"; do
    if [[ $entry == "$1 "* ]]; then
      echo "${entry#* }"
    fi
  done
}

echo "Starting the services ..."
for entry in "${plan[@]}"; do
  read -r service name port <<<"$entry"
  # Connector replicas share their consumer groups, each a static member with its own id.
  instance=()
  if [[ $service == provider-connector-service ]] && ((CONNECTOR_REPLICAS > 1)); then
    instance=(env "GATEWAY_CONNECTOR_INSTANCE_ID=$name")
  fi
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  start "$name" "$service" "$port" "$port" ${instance[@]+"${instance[@]}"} "$JAVA" $SERVICE_OPTS \
    -Dquarkus.http.port="$port" -jar "$ROOT/$service/target/quarkus-app/quarkus-run.jar"
done
# Many JVMs starting at once share the cores: more time for each one in a cluster.
ready_timeout=$((90 + 20 * (INGRESS_REPLICAS + SESSION_REPLICAS + CONNECTOR_REPLICAS - 3)))
for entry in "${plan[@]}"; do
  read -r service name port <<<"$entry"
  wait_for "$name" "$ready_timeout" ready "$port"
done

# --- the balancer: HAProxy on the public ports, with more than one replica -----------------------
haproxy_backend() { # service, public port, balance algorithm
  local name=$1 public=$2 balance=$3 server port
  cat <<BACKEND

frontend $name
    bind $QUARKUS_HTTP_HOST:$public
    default_backend $name

backend $name
    balance $balance
    option httpchk GET /q/health/ready
    http-check expect status 200
BACKEND
  replicas_of "$name" | while read -r server port; do
    echo "    server $server 127.0.0.1:$port check"
  done
}
if $balancer; then
  HAPROXY_CFG=$RUN_DIR/haproxy.cfg
  balanced_ports=()
  {
    cat <<GLOBAL
# Written by deploy/run-local.sh at every start: edits are lost. deploy/README.md explains it.
global
    # Server state changes and failed requests only (option dontlog-normal), to logs/haproxy.log.
    log stdout format raw local0 info

defaults
    mode http
    log global
    option httplog
    option dontlog-normal
    option forwardfor
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    timeout http-keep-alive 10s
    # A WebSocket, once upgraded, is a tunnel: a stream may stay open for an hour.
    timeout tunnel 1h
    timeout client-fin 5s
    timeout server-fin 5s
    # A replica that refuses the connection (it died since the last check): the next one, at once.
    retries 3
    option redispatch 1
    # Down after two failed checks a second apart, up again after two good ones.
    default-server inter 1s fall 2 rise 2

listen stats
    bind 127.0.0.1:$HAPROXY_STATS_PORT
    stats enable
    stats uri /
    stats refresh 2s
GLOBAL
    # REST: short requests that any replica answers alike; round robin spreads them evenly.
    if ((INGRESS_REPLICAS > 1)); then
      haproxy_backend ingress-service "$INGRESS_PORT" roundrobin
      balanced_ports+=("$INGRESS_PORT")
    fi
    # WebSocket: long-lived connections, any replica serves any session (each reads all of
    # chat.events); the replica with the fewest open connections takes the next one, so a replica
    # that starts again fills up first. No affinity: a client that reconnects resumes by cursor.
    if ((SESSION_REPLICAS > 1)); then
      haproxy_backend session-service "$SESSION_PORT" leastconn
      balanced_ports+=("$SESSION_PORT")
    fi
  } >"$HAPROXY_CFG"
  if ! "$HAPROXY" -c -q -f "$HAPROXY_CFG"; then
    echo "$HAPROXY refuses $HAPROXY_CFG (above)" >&2
    exit 1
  fi
  balanced=$(
    IFS=,
    echo "${balanced_ports[*]}"
  )
  echo "Starting HAProxy on ${balanced_ports[*]}, in front of the replicas ($HAPROXY_CFG) ..."
  start haproxy haproxy "" "$balanced,$HAPROXY_STATS_PORT" "$HAPROXY" -db -f "$HAPROXY_CFG"
  for port in "${balanced_ports[@]}"; do
    wait_for haproxy 20 ready "$port"
  done
fi

API_KEY=${GATEWAY_API_KEYS%%,*}
cluster_info=''
if $cluster; then
  for service in ingress-service session-service provider-connector-service; do
    short=${service%-service}
    cluster_info+=$(printf '\n  %-22s%s' "${short#provider-} replicas" "$(replicas_of $service | sed 's/ / :/' | paste -s -d ' ' -)")
  done
  if $balancer; then
    cluster_info+=$(printf '\n  %-22s%s' HAProxy "${balanced_ports[*]} → the replicas; statistics http://127.0.0.1:$HAPROXY_STATS_PORT/")
  fi
  cluster_info+=$(printf '\n  %-22s%s' "a process that exits" "leaves the others running; kill -USR1 $$ starts it again")
fi
cat <<INFO

Chat Stream Gateway is ready ($((SECONDS - started)) s).

  chat page             http://127.0.0.1:$INGRESS_PORT/chat/
  ingress (REST)        http://127.0.0.1:$INGRESS_PORT      OpenAPI: http://127.0.0.1:$INGRESS_PORT/q/openapi
  session (WebSocket)   ws://127.0.0.1:$SESSION_PORT
  connector             http://127.0.0.1:$CONNECTOR_PORT/q/health
  Kafka                 $KAFKA_BOOTSTRAP_SERVERS
  PostgreSQL            $QUARKUS_DATASOURCE_JDBC_URL (user $QUARKUS_DATASOURCE_USERNAME); its log: $RUN_DIR/postgres-data/postgres.log
  vendor simulators     $(sed -n 's/^simulator \([a-z0-9]*\) on \(.*\)$/\1=\2/p' "$LOG_DIR/simulators.log" | tr '\n' ' ')
  bots file             $BOTS_FILE
  logs                  $LOG_DIR
  processes (pids)      $PROCESSES_FILE$cluster_info
  API key               $API_KEY
  bots                  $(curl -fsS "http://127.0.0.1:$INGRESS_PORT/v1/bots")

Try it (in another terminal):

  curl -s -X POST http://127.0.0.1:$INGRESS_PORT/v1/sessions/my-session/messages \\
       -H 'Authorization: Bearer $API_KEY' -H 'Content-Type: application/json' \\
       -d '{"bot":"demo","text":"Hello there"}'

  # then open the returned streamUrl with any WebSocket client, for instance:
  java $ROOT/deploy/StreamClient.java '<streamUrl>'

  # or both in one go:
  java $ROOT/deploy/StreamClient.java --post http://127.0.0.1:$INGRESS_PORT $API_KEY openai 'Hello there'

Ctrl-C stops everything.
INFO

# Foreground until we are told to stop; alone, until a child dies too. In a cluster, a process that
# exits is reported and the others go on (kill -USR1 starts it again).
restart_requested=false
if $cluster; then
  trap 'restart_requested=true' USR1
fi
while true; do
  for i in "${!pids[@]}"; do
    if [[ -n ${pids[$i]} ]] && ! kill -0 "${pids[$i]}" 2>/dev/null; then
      if ! $cluster; then
        echo "${names[$i]} exited unexpectedly; its log: $LOG_DIR/${names[$i]}.log" >&2
        exit 1
      fi
      status=0
      wait "${pids[$i]}" 2>/dev/null || status=$?
      echo "${names[$i]} (pid ${pids[$i]}${ports[$i]:+, port ${ports[$i]}}) exited with status $status;" \
        "the others go on. Its log: $LOG_DIR/${names[$i]}.log; to start it again: kill -USR1 $$" >&2
      pids[i]=''
      write_processes
    fi
  done
  if $restart_requested; then
    restart_requested=false
    restart_exited
  fi
  sleep 1
done
