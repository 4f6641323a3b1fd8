#!/usr/bin/env bash
# Makes (once) and prints a Debian base image from this machine's apt sources, with no container
# registry: mmdebstrap into a tarball, `docker import` it as tracefix/base:<hash>, where <hash>
# covers the suite, variant, package list and revision. The same invocation and the same hash as
# build.sh's own base step, so `debian-base.sh "$DEBIAN_PACKAGES"` names the sandbox images' base.
#
#   sandbox-images/debian-base.sh <comma-separated packages> [revision]
#
# Used by tracefix-image.sh (the tracefix image's runtime base) and by the e2e compose test (its
# Postgres and Redis images). Progress goes to stderr; stdout is only the image name.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
packages="${1:?usage: debian-base.sh <packages> [revision]}"
revision="${2:-$BASE_REVISION}"
log() { echo "debian-base.sh: $*" >&2; }

base_hash="$(printf '%s\n' "$DEBIAN_SUITE" "$DEBIAN_VARIANT" "$packages" "$revision" | sha256sum | cut -c1-12)"
base_image="tracefix/base:$base_hash"
if docker image inspect "$base_image" >/dev/null 2>&1; then
  echo "$base_image"
  exit 0
fi

# Two builds of the same base at once (CI and a developer, two test files) would both debootstrap.
exec 8>"/tmp/tracefix-base-$base_hash.lock"
flock -w 900 8
if docker image inspect "$base_image" >/dev/null 2>&1; then
  echo "$base_image"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sources=/etc/apt/sources.list.d/debian.sources
[[ -f "$sources" ]] || sources=/etc/apt/sources.list
[[ -f "$sources" ]] || { log "no apt sources found"; exit 1; }
log "mmdebstrap $DEBIAN_SUITE ($DEBIAN_VARIANT + $packages) -> $base_image"
mmdebstrap --quiet --variant="$DEBIAN_VARIANT" --include="$packages" \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  "$DEBIAN_SUITE" "$work/base.tar" "$sources" </dev/null
docker import --change 'CMD ["/bin/bash"]' --change "LABEL org.tracefix.base=$base_hash" \
  "$work/base.tar" "$base_image" >/dev/null
echo "$base_image"
