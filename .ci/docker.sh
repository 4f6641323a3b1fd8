#!/usr/bin/env bash
# Brings up a Docker Engine and tracefix's sandbox images on a fresh Debian machine (root, no
# container registry, network only to the npm registry and Debian's mirrors).
#
#   bash .ci/docker.sh          # or: source .ci/docker.sh (from .ci/run)
#
# Idempotent: every step checks before it acts, so it is cheap to call again. Steps:
#   1. apt-get install docker.io (+ bubblewrap for the local driver, mmdebstrap for the base image,
#      docker-compose to check docker-compose.yml)
#      when any of them is missing;
#   2. start dockerd without a bridge or iptables (sandboxes use network `none`) when `docker info`
#      fails, and wait (bounded) until it answers;
#   3. sandbox-images/build.sh, which skips images already built from the current definition;
#      then the tracefix image (sandbox-images/tracefix-image.sh) and the compose e2e test's
#      Postgres and Redis images (test/e2e/compose/build-images.sh), both cached the same way.
# Environment: TRACEFIX_DOCKERD_LOG (default /var/log/tracefix-dockerd.log),
#              TRACEFIX_SKIP_IMAGES=1 to stop after step 2.

tracefix_docker_main() (
  set -euo pipefail
  local root log lock
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  log="${TRACEFIX_DOCKERD_LOG:-/var/log/tracefix-dockerd.log}"
  # Several sessions (and CI) may run this at once on one machine: apt and dockerd must not race.
  lock=/var/lock/tracefix-docker-setup.lock
  exec 9>"$lock"
  if ! flock -n 9; then
    echo "docker.sh: waiting for another docker.sh run ($lock)" >&2
    flock -w 900 9
  fi

  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
  command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
  command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
  # The compose file is checked with `docker compose config` (test/unit/docs/compose.test.ts).
  docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  if ((${#missing[@]})); then
    echo "docker.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
    apt-get update -q >/dev/null
    # Recommends would pull criu, apparmor, git-man, ...: none are needed and they cost a minute.
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi

  if ! docker info >/dev/null 2>&1; then
    echo "docker.sh: starting dockerd (log: $log)" >&2
    # No bridge and no iptables: sandboxes only ever use network `none`, and this machine must not
    # get NAT rules. setsid+nohup so the daemon outlives the CI step that started it.
    # 9>&-: the daemon must not inherit (and hold forever) the lock above.
    setsid nohup dockerd --bridge=none --iptables=false --ip-forward=false >>"$log" 2>&1 </dev/null 9>&- &
    local i
    for i in $(seq 1 120); do
      docker info >/dev/null 2>&1 && break
      sleep 0.5
    done
    if ! docker info >/dev/null 2>&1; then
      echo "docker.sh: dockerd did not answer within 60 s; last log lines:" >&2
      tail -n 30 "$log" >&2 || true
      return 1
    fi
  fi

  if [[ "${TRACEFIX_SKIP_IMAGES:-}" != 1 ]]; then
    bash "$root/sandbox-images/build.sh"
    # The compose e2e test's images (test/e2e/compose.test.ts): the tracefix image, offline, and
    # Postgres + Redis from Debian's packages. Each step skips what is current (the Debian bases
    # by hash, the image layers by the classic builder's cache); the two cold mmdebstrap runs go
    # side by side.
    local pids=()
    bash "$root/sandbox-images/tracefix-image.sh" >/dev/null & pids+=($!)
    bash "$root/test/e2e/compose/build-images.sh" >/dev/null & pids+=($!)
    local pid
    for pid in "${pids[@]}"; do wait "$pid"; done
  fi
)

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  tracefix_docker_main "$@"
  return $?
else
  tracefix_docker_main "$@"
  exit $?
fi
