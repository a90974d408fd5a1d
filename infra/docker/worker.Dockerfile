# syntax=docker/dockerfile:1
# worker: webhooks, Pub/Sub push handlers, notifications, file processing (Cloud Run); its image also runs the migrate job
#   docker build -f infra/docker/worker.Dockerfile -t devflow/worker .     (from the repository root)
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Build: the whole workspace, then one bundle of the app with everything it imports.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NX_DAEMON=false
COPY . .
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund --loglevel=error
RUN npx tsx infra/build/build-app.ts worker --out /out

# Run: Node and the bundle, owned by root and read-only to the unprivileged user that runs it.
FROM ${NODE_IMAGE} AS runtime
# The package managers are not needed to run a bundle; leaving them out leaves less to patch.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/bin/npm \
    /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg
ENV NODE_ENV=production \
    DEVFLOW_ENV=production \
    DATA_DIR=/tmp/devflow \
    PORT=3003 \
    MIGRATIONS_DIR=/app/migrations
WORKDIR /app
COPY --from=build /out/ /app/
USER 10001:10001
EXPOSE 3003
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "main.mjs"]
