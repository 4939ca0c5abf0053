# syntax=docker/dockerfile:1

# One image for every yizhi subcommand; docker-compose.yml picks the
# subcommand with `command:`.

# Build on the build machine's own platform and cross-compile: the binary is
# pure Go (the embedded SQLite needs no cgo).
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/yizhi ./cmd/yizhi

FROM debian:bookworm-slim
# ca-certificates for TLS to MT engines and webhook receivers; tzdata for
# court-local deadlines and display.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 yizhi \
 && useradd --system --uid 10001 --gid yizhi --home-dir /var/lib/yizhi --create-home --shell /usr/sbin/nologin yizhi
COPY --from=build /out/yizhi /usr/local/bin/yizhi
# Numeric, so runtimes that enforce non-root can verify it.
USER 10001:10001
WORKDIR /var/lib/yizhi
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/yizhi"]
