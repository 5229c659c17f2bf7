#!/usr/bin/env bash
# Runs the whole gateway on this machine: a real Kafka broker (KRaft, single node, from Maven
# Central jars), the simulator of every vendor module (providers/*/), and the three services. Needs
# only a JDK (17+) and network access to Maven Central for the first build. Ctrl-C (or SIGTERM)
# stops everything it started. Nothing here names a vendor: SimulatorsMain finds the simulators on
# the connector's classpath and writes the bots file (one bot per provider, at its simulator).
#
# Any configuration can be overridden from the environment, e.g.
#   GATEWAY_BOTS_OPENAI_URL=http://127.0.0.1:9999 deploy/run-local.sh
#   SIMULATOR_PORTS=free deploy/run-local.sh     # simulators on free ports (fixed: 9101, 9102, …)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN_DIR=${RUN_DIR:-$ROOT/deploy/.run}
LOG_DIR=$RUN_DIR/logs
mkdir -p "$LOG_DIR"

# --- configuration (environment wins) -------------------------------------------------------
export KAFKA_PORT=${KAFKA_PORT:-9092}
export KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
export KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}
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

# --- build when something is missing -----------------------------------------------------------
jars=(
  "$ROOT/ingress-service/target/quarkus-app/quarkus-run.jar"
  "$ROOT/session-service/target/quarkus-app/quarkus-run.jar"
  "$ROOT/provider-connector-service/target/quarkus-app/quarkus-run.jar"
  "$ROOT/local-kafka/target/local-kafka-0.1.0-SNAPSHOT.jar"
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
pids=()
names=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping ..."
  # Services first, the broker last, so that they can close their Kafka clients cleanly.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
    if [[ ${names[$i]} == kafka ]]; then
      wait "${pids[$i]}" 2>/dev/null || true
    fi
  done
  local deadline=$((SECONDS + 20))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  echo "Stopped."
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

start() { # name, command…
  local name=$1
  shift
  "$@" >"$LOG_DIR/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# The simulators' own ports are theirs to check: SimulatorsMain exits naming a port in use.
for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$INGRESS_PORT" "$SESSION_PORT" "$CONNECTOR_PORT"; do
  if ! port_free "$port"; then
    echo "Port $port is in use: is another run still going? (Set *_PORT variables to move.)" >&2
    exit 1
  fi
done

wait_for() { # name, check command…, timeout seconds
  local name=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    for i in "${!pids[@]}"; do
      if ! kill -0 "${pids[$i]}" 2>/dev/null; then
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
start kafka "$JAVA" -Xmx512m -cp "$ROOT/local-kafka/target/local-kafka-0.1.0-SNAPSHOT.jar:$ROOT/local-kafka/target/lib/*" \
  io.chatstream.localkafka.LocalKafkaMain "$RUN_DIR/kafka-data" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
rm -f "$BOTS_FILE"
start simulators "$JAVA" -Xmx256m -cp "$SIMULATORS_CP" \
  io.chatstream.simulator.SimulatorsMain --ports="$SIMULATOR_PORTS" --bots-file="$BOTS_FILE" --pace=25ms
wait_for kafka 60 grep -q "KAFKA READY" "$LOG_DIR/kafka.log"
wait_for simulators 30 grep -q "SIMULATORS READY" "$LOG_DIR/simulators.log"

echo "Starting the services ..."
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
start session-service "$JAVA" $SERVICE_OPTS -Dquarkus.http.port="$SESSION_PORT" -jar "$ROOT/session-service/target/quarkus-app/quarkus-run.jar"
# shellcheck disable=SC2086
start provider-connector-service "$JAVA" $SERVICE_OPTS -Dquarkus.http.port="$CONNECTOR_PORT" -jar "$ROOT/provider-connector-service/target/quarkus-app/quarkus-run.jar"
# shellcheck disable=SC2086
start ingress-service "$JAVA" $SERVICE_OPTS -Dquarkus.http.port="$INGRESS_PORT" -jar "$ROOT/ingress-service/target/quarkus-app/quarkus-run.jar"
wait_for session-service 90 ready "$SESSION_PORT"
wait_for provider-connector-service 90 ready "$CONNECTOR_PORT"
wait_for ingress-service 90 ready "$INGRESS_PORT"

API_KEY=${GATEWAY_API_KEYS%%,*}
cat <<INFO

Chat Stream Gateway is ready ($((SECONDS - started)) s).

  chat page             http://127.0.0.1:$INGRESS_PORT/chat/
  ingress (REST)        http://127.0.0.1:$INGRESS_PORT      OpenAPI: http://127.0.0.1:$INGRESS_PORT/q/openapi
  session (WebSocket)   ws://127.0.0.1:$SESSION_PORT
  connector             http://127.0.0.1:$CONNECTOR_PORT/q/health
  Kafka                 $KAFKA_BOOTSTRAP_SERVERS
  vendor simulators     $(sed -n 's/^simulator \([a-z0-9]*\) on \(.*\)$/\1=\2/p' "$LOG_DIR/simulators.log" | tr '\n' ' ')
  bots file             $BOTS_FILE
  logs                  $LOG_DIR
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

# Foreground until a child dies or we are told to stop.
while true; do
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "${names[$i]} exited unexpectedly; its log: $LOG_DIR/${names[$i]}.log" >&2
      exit 1
    fi
  done
  sleep 1
done
