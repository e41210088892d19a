# The switchboard-ivr runtime for deploy/compose.yaml: Node 20, espeak-ng for TTS, production dependencies only.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/switchboard
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts
COPY bin ./bin
COPY runtime ./runtime
COPY schema ./schema
COPY sounds ./sounds
COPY examples ./examples
RUN mkdir -p /var/lib/switchboard && chown node:node /var/lib/switchboard
USER node
ENTRYPOINT ["node", "bin/ivr.js"]
CMD ["serve", "--config", "/etc/switchboard/ivr.config.json"]
