# syntax=docker/dockerfile:1
# web: the Next.js app, REST API, sign-in and uploads (Cloud Run)
#   docker build -f infra/docker/web.Dockerfile -t devflow/web .     (from the repository root)
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Build: the whole workspace, `next build` (standalone output), then the custom server as one bundle.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NX_DAEMON=false NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund --loglevel=error
RUN npx tsx infra/build/build-app.ts web --out /out

# Run: Node, the server files Next traced and the custom server, read-only to the user that runs it.
FROM ${NODE_IMAGE} AS runtime
# The package managers are not needed at run time; leaving them out leaves less to patch.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/bin/npm \
    /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg
ENV NODE_ENV=production \
    DEVFLOW_ENV=production \
    DATA_DIR=/tmp/devflow \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000
WORKDIR /app
COPY --from=build /out/ /app/
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/web/server.mjs", "--production"]
