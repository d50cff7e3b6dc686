# bantin in a container: Debian's Chromium (the same browser the tests use), the fonts it needs, and the
# same commands as on a server:  docker run … bantin serve   |   docker run … bantin worker
#   docker build -t bantin .
#   docker run -d --name bantin -p 127.0.0.1:3000:3000 -v bantin-data:/data bantin
#   docker run -d … -v bantin-backups:/backups -e BANTIN_BACKUP_DIR=/backups bantin      (daily backups)
#   docker exec bantin node bin/bantin.mjs backup /backups/now.tar.gz                    (one now)
#
# Two stages: native modules (better-sqlite3) are compiled in the first one when their prebuilt binary
# cannot be downloaded (GitHub unreachable from the office network, or no prebuilt for this platform);
# the compilers stay out of the image that runs.
FROM node:20-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# node-gyp uses the image's own Node headers (/usr/local/include/node) instead of downloading them.
ENV PUPPETEER_SKIP_DOWNLOAD=1 npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the checkout's own "prepare" script is not in this layer; the two native modules'
# install scripts run explicitly.
RUN npm ci --omit=dev --ignore-scripts && npm rebuild better-sqlite3 sharp && npm cache clean --force

FROM node:20-bookworm-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fontconfig fonts-dejavu-core ca-certificates tini libjpeg-turbo-progs \
 && rm -rf /var/lib/apt/lists/*

# Puppeteer must not download its own browser: bantin uses Debian's.
ENV PUPPETEER_SKIP_DOWNLOAD=1 \
    BANTIN_CHROMIUM=/usr/bin/chromium \
    BANTIN_DATA_DIR=/data \
    NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# The layouts' own fonts (fonts/) are registered with fontconfig so print PDFs embed them.
RUN mkdir -p /usr/local/share/fonts/bantin && cp -r fonts/. /usr/local/share/fonts/bantin/ && fc-cache -f >/dev/null

RUN useradd --system --uid 10001 --home /data bantin && mkdir -p /data /backups && chown bantin:bantin /data /backups
USER bantin
VOLUME ["/data", "/backups"]
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:3000/readyz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"

# tini reaps Chromium's child processes and forwards SIGTERM for a graceful stop.
ENTRYPOINT ["tini", "--", "node", "bin/bantin.mjs"]
CMD ["serve"]
