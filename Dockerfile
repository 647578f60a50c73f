# hookcheck as a container: a static binary on distroless.
#   docker build -t hookcheck .
#   docker run --rm hookcheck run                      # the suite against the embedded reference
#   docker run --rm -p 8088:8088 -p 8443:8443 -p 2525:2525 hookcheck \
#     receive --listen 0.0.0.0:8088 --tls-listen 0.0.0.0:8443 --smtp-listen 0.0.0.0:2525

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO_ENABLED=0: a static binary that needs no libc. -trimpath keeps the
# build machine's paths out of it; the VCS revision comes from .git when
# it is in the build context (hookcheck --version shows it).
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/hookcheck ./cmd/hookcheck

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/hookcheck /usr/local/bin/hookcheck
# hookcheck ca init writes to $XDG_CONFIG_HOME/hookcheck; mount a volume
# there to keep the receiver's CA across containers.
ENV XDG_CONFIG_HOME=/home/nonroot/.config
WORKDIR /home/nonroot
ENTRYPOINT ["/usr/local/bin/hookcheck"]
CMD ["--help"]
