# syntax=docker/dockerfile:1
# FFE image: `ffe serve` (API, WebSocket, dashboard, agent) on port 8000.
# Two stages: the build stage has the compilers better-sqlite3 needs and the dev dependencies the
# TypeScript and dashboard builds need; the runtime stage gets only the built files and the
# production dependencies, and runs as an unprivileged user.

FROM node:20-bookworm-slim AS build
WORKDIR /src
# better-sqlite3 compiles from source when no prebuilt binary matches (e.g. arm64 musl/glibc mismatch).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (the build) needs the sources, copied below; `npm rebuild` then runs the
# dependencies' install scripts (better-sqlite3's native module, esbuild's binary check).
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild
COPY . .
# The prune rewrites node_modules/.package-lock.json, which would make the bins distrust the CLI
# bundle and start from the tsc output (twice the start-up CPU); --restamp vouches for it again.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund && node scripts/bundle-cli.mjs --restamp

FROM node:20-bookworm-slim AS runtime
# FFE_HOME: the data home (store, keys, default backup folder) is the volume.
ENV NODE_ENV=production \
    FFE_HOME=/app/data \
    SERVER_HOST=0.0.0.0 \
    SERVER_PORT=8000
WORKDIR /app
# A fixed uid/gid so volumes and Kubernetes securityContext (runAsUser 10001) agree.
RUN groupadd --system --gid 10001 ffe \
 && useradd --system --uid 10001 --gid ffe --home-dir /app --shell /usr/sbin/nologin ffe \
 && mkdir -p /app/data /app/config /app/backups \
 && chown ffe:ffe /app/data /app/config /app/backups
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/src ./dist/src
COPY --from=build /src/dist/web ./dist/web
COPY --from=build /src/bin ./bin
COPY --from=build /src/assets ./assets
COPY --from=build /src/config/config.example.yaml ./config/config.example.yaml
USER ffe
VOLUME ["/app/data"]
EXPOSE 8000
# /live answers 200 while the process answers; node's fetch avoids adding curl to the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.SERVER_PORT||8000)+'/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/ffe.js"]
CMD ["serve"]
