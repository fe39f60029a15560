# syntax=docker/dockerfile:1
# jobs-gateway: built once in the first stage, run with production dependencies only in the
# second. The same steps as the README's production section:
#   npm ci && npm run build     then     npm ci --omit=dev && node dist/main.js
#
#   docker build -t jobs-gateway .
#   docker run -p 4000:4000 -e CURSOR_SECRET=... -e UPSTREAMS=aws -e AWS_REGION=eu-west-1 jobs-gateway

ARG NODE_VERSION=20.20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The image's unprivileged user; nothing under /app is writable by it.
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# Exec form, node itself as PID 1: SIGTERM reaches the gateway (no npm or shell in between),
# which stops accepting, finishes the requests in flight within SHUTDOWN_TIMEOUT_MS and exits 0.
CMD ["node", "dist/main.js"]
