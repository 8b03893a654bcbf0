#!/usr/bin/env bash
# Builds deploy/Dockerfile on a stand-in base and runs it as k8s/base/deployment.yaml would, with Podman and
# no Docker engine or container registry (deploy/README.md, "Verified on a machine without Docker").
# By hand, not run by CI or the tests. Needs root (debootstrap, rootful podman), Debian's package mirror,
# podman, runc, slirp4netns, debootstrap, curl, and a PostgreSQL and Redis on this machine's loopback.
#
#   ./mvnw -B -DskipTests package     # target/quarkus-app, what the Dockerfile packs
#   deploy/check-image.sh
#
# Settings (environment):
#   CHECK_WORK     where the stand-in base's root filesystem goes      (/tmp/appmanager-imagecheck)
#   CHECK_DB       database on 127.0.0.1:5432 (Flyway migrates it!)    (test)
#   CHECK_DB_USER  its user; the password is not checked (trust auth)  (postgres)
#   CHECK_REDIS    Redis for the multi-node engine, as k8s/base        (redis://10.0.2.2:6379)
#   CHECK_PORT     host port published to the container's 8080         (18080)
#   CHECK_MEMORY   memory limit, as k8s/base's limits.memory            (768m)
#   CHECK_RUNTIME  OCI runtime                                          (runc if installed)
#
# The stand-in replaces registry.access.redhat.com/ubi9/openjdk-17-runtime:1.23, which needs a registry:
# Debian 12 (debootstrap, minbase) with openjdk-17-jre-headless, user 185 in group 0 as in the UBI image,
# /deployments owned by it. `podman build --from` swaps it in for the Dockerfile's FROM; nothing else changes.
# The container reaches the machine's loopback at 10.0.2.2 (slirp4netns, allow_host_loopback).
set -euo pipefail

WORK=${CHECK_WORK:-/tmp/appmanager-imagecheck}
DB=${CHECK_DB:-test}
DB_USER=${CHECK_DB_USER:-postgres}
REDIS=${CHECK_REDIS:-redis://10.0.2.2:6379}
PORT=${CHECK_PORT:-18080}
MEMORY=${CHECK_MEMORY:-768m}
BASE=localhost/stand-in-openjdk-17-runtime:test
IMAGE=ghcr.io/appmanager/appmanager:0.1.0
NAME=appmanager-imagecheck
RUNTIME=()
if [[ -n ${CHECK_RUNTIME:-} ]]; then RUNTIME=(--runtime "$CHECK_RUNTIME")
# crun (Debian 12's default) refuses hybrid cgroup v1/v2 hosts: "cgroups in hybrid mode not supported".
elif command -v runc >/dev/null; then RUNTIME=(--runtime runc); fi

cd "$(dirname "$0")/.."
[[ -f target/quarkus-app/quarkus-run.jar ]] || { echo "no target/quarkus-app: run ./mvnw -B -DskipTests package first" >&2; exit 1; }
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo; echo "== $*"; }
cleanup() { podman rm -f -t 0 "$NAME" >/dev/null 2>&1 || true; }
trap cleanup EXIT

step "stand-in base image $BASE"
if ! podman image exists "$BASE"; then
  rm -rf "$WORK/root"; mkdir -p "$WORK"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$WORK/root" http://deb.debian.org/debian
  chroot "$WORK/root" groupadd -g 185 default
  chroot "$WORK/root" useradd -u 185 -g 0 -G default -m -d /home/default -s /bin/bash default
  install -d -o 185 -g 0 -m 775 "$WORK/root/deployments"
  chroot "$WORK/root" apt-get clean
  rm -rf "$WORK/root/var/lib/apt/lists/"*
  tar -C "$WORK/root" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' - "$BASE"
fi

step "build deploy/Dockerfile on it"
podman build --from "$BASE" -f deploy/Dockerfile --ignorefile deploy/Dockerfile.dockerignore -t "$IMAGE" .
echo "image size: $(( $(podman image inspect "$IMAGE" --format '{{.Size}}') / 1000000 )) MB" \
     "(base $(( $(podman image inspect "$BASE" --format '{{.Size}}') / 1000000 )) MB)"

step "run it as k8s/base does: uid 185, read-only root, /tmp tmpfs, no capabilities, $MEMORY"
# Podman raises nofile and nproc to 1048576 by default, which needs CAP_SYS_RESOURCE (a sandbox may not grant
# it). nofile: the caller's hard limit. nproc: 4096, plenty for a JVM (about 30 threads here); the caller's
# hard limit itself was refused too on the machine this was written on.
HARD_NOFILE=$(ulimit -Hn); HARD_NPROC=$(ulimit -Hu)
[[ $HARD_NOFILE == unlimited ]] && HARD_NOFILE=1048576
[[ $HARD_NPROC == unlimited || $HARD_NPROC -gt 4096 ]] && HARD_NPROC=4096
cleanup
started=$(date +%s%N)
podman "${RUNTIME[@]}" run -d --name "$NAME" \
  --ulimit "nofile=$HARD_NOFILE:$HARD_NOFILE" --ulimit "nproc=$HARD_NPROC:$HARD_NPROC" \
  --user 185:185 --read-only --tmpfs /tmp:rw,size=64m,mode=1777 \
  --cap-drop ALL --security-opt no-new-privileges --memory "$MEMORY" \
  --network slirp4netns:allow_host_loopback=true -p "127.0.0.1:$PORT:8080" \
  -e APPMANAGER_FANOUT_ENGINE=redis -e APPMANAGER_FANOUT_REDIS_URL="$REDIS" \
  -e APPMANAGER_DB_EMBEDDED_ENABLED=false \
  -e QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://10.0.2.2:5432/$DB" \
  -e QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://10.0.2.2:5432/$DB" \
  -e QUARKUS_DATASOURCE_USERNAME="$DB_USER" -e QUARKUS_DATASOURCE_PASSWORD=unused \
  -e APPMANAGER_GATEWAY_PUBLIC_URL="ws://127.0.0.1:$PORT" \
  -e APPMANAGER_GATEWAY_CLOSE_TIMEOUT=5s -e QUARKUS_SHUTDOWN_DELAY=3s \
  -e APPMANAGER_APPS_SECRET_KEY="$(openssl rand -base64 32)" \
  -e APPMANAGER_AUTH_HS256_SECRET="$(openssl rand -base64 48)" \
  -e APPMANAGER_APP_SESSIONS_NODE_ID=imagecheck-1 \
  "$IMAGE" >/dev/null

# As the startupProbe allows: 5 s + 30 x 2 s.
for _ in $(seq 1 130); do
  [[ $(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready") == 200 ]] && break
  podman container exists "$NAME" && [[ $(podman inspect "$NAME" --format '{{.State.Running}}') == true ]] \
    || { podman logs "$NAME" 2>&1 | tail -30; fail "the container exited"; }
  sleep 0.5
done
echo "ready after $(( ($(date +%s%N) - started) / 1000000 )) ms (podman run to /q/health/ready 200)"
podman logs "$NAME" 2>&1 | grep -E 'started in|Profile' || true

step "probes and metrics"
for probe in started live ready; do
  body=$(curl -s -m 3 "http://127.0.0.1:$PORT/q/health/$probe")
  grep -q '"status": "UP"' <<<"$body" || fail "/q/health/$probe: $body"
  echo "/q/health/$probe UP"
done
series=$(curl -s -m 5 "http://127.0.0.1:$PORT/q/metrics" | grep -c '^appmanager_') || fail "/q/metrics has no appmanager_ series"
echo "/q/metrics: $series appmanager_ samples"

step "heap: MaxRAMPercentage=75 of the memory limit"
limit=$(podman exec "$NAME" cat /sys/fs/cgroup/memory.max 2>/dev/null || podman exec "$NAME" cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
heap=$(podman exec "$NAME" java -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "MaxHeapSize" {print $4}')
echo "memory limit $limit bytes, MaxHeapSize $heap bytes ($(( heap * 100 / limit )) %)"
(( heap * 100 / limit == 75 )) || fail "the heap does not follow the limit"

step "read-only root: only /tmp is writable"
podman exec "$NAME" sh -c 'id; ! touch /deployments/x 2>/dev/null && ! touch /x 2>/dev/null && touch /tmp/x' \
  || fail "the root filesystem is writable, or /tmp is not"

step "SIGTERM (podman stop, 35 s grace as k8s/base): the drain"
stopping=$(date +%s%N)
podman stop -t 35 "$NAME" >/dev/null
echo "stopped after $(( ($(date +%s%N) - stopping) / 1000000 )) ms," \
     "exit code $(podman inspect "$NAME" --format '{{.State.ExitCode}}') (143 = 128 + SIGTERM: the JVM's normal exit on it)"
log=$(podman logs "$NAME" 2>&1)
grep -E 'drain: asked|drain finished|lease of node .* released|stopped in' <<<"$log" || fail "no drain in the log"
grep -q 'drain finished with 0 sockets still open' <<<"$log" || fail "the drain did not finish"
[[ $(podman inspect "$NAME" --format '{{.State.ExitCode}}') =~ ^(0|143)$ ]] || fail "unexpected exit code"

echo; echo "OK"
