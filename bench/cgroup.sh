# Sourced by bench/throttle.sh and bench/aot.sh: a CFS CPU quota as Kubernetes enforces
# limits.cpu (period 100 ms), on cgroup v1 (`cpu`) or v2 (`cpu.max`). Needs root.
# Sets cgroot (empty when no writable cpu controller) and cgversion (1, 2 or none).
if [[ -w /sys/fs/cgroup/cpu ]]; then
    cgroot=/sys/fs/cgroup/cpu
    cgversion=1
elif [[ -w /sys/fs/cgroup/cgroup.subtree_control ]] && grep -qw cpu /sys/fs/cgroup/cgroup.controllers; then
    cgroot=/sys/fs/cgroup
    cgversion=2
    echo +cpu >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
else
    cgroot=""
    cgversion=none
fi

# cgroup_with_quota NAME MILLICORES: makes cgroup NAME limited to MILLICORES and prints its path.
# The caller moves a process in (echo PID > PATH/cgroup.procs) and removes it with rmdir.
cgroup_with_quota() {
    local cg=$cgroot/$1
    mkdir "$cg"
    if [[ $cgversion == 1 ]]; then
        echo 100000 >"$cg/cpu.cfs_period_us"
        echo $(($2 * 100)) >"$cg/cpu.cfs_quota_us"
    else
        echo "$(($2 * 100)) 100000" >"$cg/cpu.max"
    fi
    echo "$cg"
}
