#!/usr/bin/env bash
# Postgres and Redis images for the compose e2e test, built without a registry: Debian's packages
# on the same mmdebstrap base machinery as the sandbox and tracefix images
# (sandbox-images/debian-base.sh). Prints "<postgres image> <redis image>"; builds only what is
# missing (the tags hash this directory's Dockerfiles and the base).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
# One base for both: one mmdebstrap run instead of two on a cold machine.
base="$(bash "$root/sandbox-images/debian-base.sh" postgresql,redis-server)"
names=()
for kind in postgres redis; do
  tag="$(printf '%s\n' "$base" "$(sha256sum "$here/Dockerfile.$kind")" | sha256sum | cut -c1-12)"
  image="tracefix-test/$kind:$tag"
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    echo "build-images.sh: building $image" >&2
    out="$(DOCKER_BUILDKIT=0 docker build --network none --build-arg "BASE_IMAGE=$base" -t "$image" -f "$here/Dockerfile.$kind" "$here" 2>&1)" || { echo "$out" >&2; exit 1; }
  fi
  names+=("$image")
done
echo "${names[@]}"
