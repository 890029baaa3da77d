# Batch inference worker (Lab 3.1 PAID): docker build -t ai-lab-3-1-paid:v1 .
#
# The worker is compiled ahead of time to one native executable (native AOT): no .NET runtime in
# the image, no JIT at start-up.
#
# Base images are pinned to exact versions, the pair this publish was verified with: SDK 10.0.401
# (whose native AOT compiler is 10.0.12) and runtime-deps 10.0.12. They are not yet pinned by
# digest, as kind's node image and the collector are: this Dockerfile was written without access
# to the registry, and no digest for these tags came from a source we could trust. To pin them,
# run (for each image)
#   docker buildx imagetools inspect mcr.microsoft.com/dotnet/sdk:10.0.401-noble-aot
#   docker buildx imagetools inspect mcr.microsoft.com/dotnet/runtime-deps:10.0.12-noble-chiseled
# and append the top-level "Digest:" (the multi-platform index, so amd64 and arm64 both keep
# working) to the tag: FROM mcr.microsoft.com/dotnet/...:<tag>@sha256:<digest>.

# --- build: the .NET SDK plus the native toolchain (clang, zlib), only in this stage ----------
# Native AOT links with a native toolchain for the target architecture, so this stage runs on the
# target platform (no --platform=$BUILDPLATFORM): an amd64 machine builds amd64 and Apple silicon
# builds arm64, both natively, and kind's nodes run that same architecture. Building for the
# other architecture (`--platform linux/amd64` on arm64) would run the SDK under QEMU emulation,
# which .NET does not support; for that, start from dotnet-docker's cross-compiling samples
# (samples/releasesapi/Dockerfile.ubuntu-cross-*), which install a cross toolchain.
FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble-aot AS build
ARG TARGETARCH
WORKDIR /src
# Restore layer: only the files that decide the package graph. Editing C# code does not
# invalidate it, so rebuilds skip the NuGet download. PublishAot here too: it adds the native
# AOT compiler packages to the restore.
COPY Directory.Build.props Directory.Packages.props ./
COPY app/BatchJob.csproj app/
RUN dotnet restore app/BatchJob.csproj -a $TARGETARCH -p:PublishAot=true
# Then the code-style rules the build enforces, and the source (tests, bin/obj, .env and .git
# are kept out by .dockerignore).
COPY .editorconfig ./
COPY app/ app/
# Native AOT for the target architecture. DebugType=none: no .dbg symbol file beside the binary.
# Warnings: compiler and analyzer warnings do not fail the image build
# (TreatWarningsAsErrors=false), so a newer SDK's new analyzer warning cannot break a student's
# `docker build`; CI's `dotnet build` keeps them errors. The AOT compiler's trim/AOT warnings
# still fail it (IlcTreatWarningsAsErrors): they mean the binary may fail at run time.
RUN dotnet publish app/BatchJob.csproj -c Release --no-restore -a $TARGETARCH -o /out \
        -p:PublishAot=true -p:DebugType=none \
        -p:TreatWarningsAsErrors=false -p:IlcTreatWarningsAsErrors=true

# --- runtime: Ubuntu chiseled runtime-deps, no shell, no package manager, no .NET runtime --------
# This is the base image for native AOT in .NET 10: the separate "-aot" variant
# (runtime-deps:<8.0|9.0>-noble-chiseled-aot, which left out libstdc++) is not published for .NET
# 10, and .NET 8 and 9's -aot tags now point at these plain images (dotnet/dotnet-docker
# discussion 6312; the SDK's container publish stopped choosing -aot in dotnet/sdk PR 48101). It
# holds glibc, libgcc, libstdc++, OpenSSL and CA certificates. The executable needs only glibc
# (readelf -d: libc.so.6, libm.so.6, ld-linux; DockerfileTests checks it); OpenSSL is loaded only
# for an https:// collector. No ICU or tzdata: the app runs in invariant globalization mode
# (Directory.Build.props) and writes UTC timestamps only.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0.12-noble-chiseled AS runtime
WORKDIR /app
# Named files only: the executable, its settings and the bundled sample; never symbols.
COPY --from=build /out/BatchJob /out/appsettings.json ./
COPY --from=build /out/data/input.jsonl data/
# The chiseled images' non-root "app" user, by number so Kubernetes' runAsNonRoot can check it.
USER 1654
# Exec form: the worker is PID 1 and receives SIGTERM itself (it flushes telemetry, exits 143).
ENTRYPOINT ["/app/BatchJob"]
