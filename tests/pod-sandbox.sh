#!/usr/bin/env bash
# The batch pod's view of the machine, without a cluster, for the guide's pod-run outputs (root only):
#   tests/pod-sandbox.sh DATA_DIR POD_NAME [NAME=VALUE ...] -- WORKER [ARG ...]
# Runs WORKER as the image's user 1654 in a root file system of its own, laid out as the pod's:
# WORKER's folder read-only at /app (the image's WORKDIR, where the bundled sample is), DATA_DIR at
# /data (the batch-data claim), an empty /tmp (the emptyDir), the rest read-only; hostname POD_NAME,
# exactly the NAME=VALUE environment plus what the image and the kubelet set (PATH, HOSTNAME, the
# runtime-deps image's ENV), and the 500m CPU limit as a CFS quota (bench/cgroup.sh). The cluster's
# DNS is /etc/hosts: otel-collector-paid is 127.0.0.1, where the caller runs an OTLP receiver on 4317.
# No memory limit: the run's few MiB never meet the pod's 512Mi. Its exit code is the worker's.
# Used by tests/BatchJob.Tests/Kit/GuidePodRunTests.cs (GUIDE_POD_RUN=1).
set -euo pipefail
[[ $(id -u) == 0 ]] || { echo "$0: needs root (mount namespace, chroot, cgroup)" >&2; exit 2; }
data=$1 pod=$2
shift 2
env=()
while [[ $# -gt 0 && $1 != -- ]]; do
    env+=("$1")
    shift
done
[[ $# -ge 2 ]] || { echo "usage: $0 DATA_DIR POD_NAME [NAME=VALUE ...] -- WORKER [ARG ...]" >&2; exit 2; }
app=$(dirname "$2")
shift 2

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/cgroup.sh
source "$here/../bench/cgroup.sh"
[[ -n $cgroot ]] || { echo "$0: no writable cgroup cpu controller" >&2; exit 2; }
cg=$(cgroup_with_quota "batchjob-pod-sandbox-$$" 500)
root=$(mktemp -d /tmp/pod-root.XXXXXX)
trap 'rmdir "$cg" "$root"' EXIT

# shellcheck disable=SC2016 # expanded by the inner shell
unshare --mount --uts --propagation private bash -c '
    set -euo pipefail
    cg=$1 root=$2 app=$3 data=$4 pod=$5
    shift 5
    echo $$ >"$cg/cgroup.procs"
    hostname "$pod"
    mount -t tmpfs -o mode=755 rootfs "$root"
    mkdir -p "$root"/{app,data,tmp,etc,proc,sys,dev,usr}
    for link in bin sbin lib lib64; do
        if [[ -L /$link ]]; then ln -s "$(readlink "/$link")" "$root/$link"; elif [[ -d /$link ]]; then mkdir "$root/$link"; mount --rbind "/$link" "$root/$link"; fi
    done
    mount --rbind /usr "$root/usr"
    mount --rbind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    mount --rbind -o ro /sys "$root/sys"
    mount --bind "$app" "$root/app" && mount -o remount,bind,ro "$root/app"
    mount --bind "$data" "$root/data"
    mount -t tmpfs -o mode=1777,size=64m tmp "$root/tmp"
    printf "127.0.0.1 localhost\n127.0.0.1 otel-collector-paid\n" >"$root/etc/hosts"
    printf "hosts: files\n" >"$root/etc/nsswitch.conf"
    printf "root:x:0:0:root:/root:/sbin/nologin\napp:x:1654:1654::/home/app:/sbin/nologin\n" >"$root/etc/passwd"
    printf "root:x:0:\napp:x:1654:\n" >"$root/etc/group"
    mount -o remount,ro "$root"
    exec chroot --userspec=1654:1654 "$root" /usr/bin/env -i -C /app \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOSTNAME="$pod" \
        APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true "$@"
' pod-sandbox "$cg" "$root" "$app" "$data" "$pod" "${env[@]}" /app/BatchJob "$@"
