#!/usr/bin/env bash
# A throwaway single-node SLURM cluster on this machine, for tests/test_slurm.py and for trying the SLURM profile by
# hand (see ../shared/slurm-notes.md for what was verified and why the settings are what they are).
#
#   tests/slurm/cluster.sh start    install slurm-wlm + munge if missing (apt-get), write the configuration, start
#                                   munged, slurmctld and slurmd, wait until the node is idle
#   tests/slurm/cluster.sh stop     cancel the cluster's jobs, stop the three daemons by the PIDs in their pid files
#   tests/slurm/cluster.sh status   the daemons' PIDs, sinfo and squeue
#   tests/slurm/cluster.sh env      the line to source for the client commands: export SLURM_CONF=...
#
# Everything lives in one directory, $LASSONET_SLURM_DIR (default /tmp/lassonet-bench-slurm): slurm.conf, gres.conf,
# its own munge key and socket, state, spool, logs and pid files. One thing outside it: /etc/slurm/slurm.conf, a
# symlink to our slurm.conf, because the executor's job step (snakemake-executor-plugin-slurm-jobstep) strips every
# SLURM_* variable, SLURM_CONF included, before it calls srun inside the job, so srun only finds the configuration
# at its default path. start refuses when /etc/slurm/slurm.conf is anything else (a real cluster's, or another test
# cluster's), stop removes the symlink. So one test cluster per machine at a time. Ports: free ones picked at start
# (or $LASSONET_SLURM_PORT and the next one).
#
# No accounting (no slurmdbd): `sacct` fails here, so the executor must query job states with squeue
# (slurm-status-command: squeue in the profile) and MinJobAge=300 keeps finished jobs visible to squeue.
# The node advertises one placeholder GPU (a gpu GRES whose device file is /dev/null): sbatch --gpus=1 is accepted and
# scheduled, the job runs on CPU (CUDA_VISIBLE_DEVICES=0 points at nothing). LASSONET_SLURM_GPUS=0: no GPU at all.
#
# Needs root (the daemons run as root, munged as the munge user, who must be able to enter the directory). Exit
# status 10: a cluster is running already or /etc/slurm/slurm.conf is someone else's; 11: not root; 12: packages
# missing and no apt-get; 13: a daemon did not come up (its log is printed); anything else: an unexpected error.
set -euo pipefail

DIR=${LASSONET_SLURM_DIR:-/tmp/lassonet-bench-slurm}
CONF=$DIR/slurm.conf
GPUS=${LASSONET_SLURM_GPUS:-1}
WAIT_SECONDS=${LASSONET_SLURM_WAIT:-60}
SYSTEM_CONF=/etc/slurm/slurm.conf

say() { echo "cluster.sh: $*" >&2; }

pid_alive() {  # pid_alive <pidfile> <executable name>: the PID of a live process of that name, or nothing
    local pidfile=$1 name=$2 pid
    [[ -s $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] && [[ -d /proc/$pid ]] || return 1
    # guard against a reused PID: the process must be the daemon we started
    [[ "$(cat /proc/"$pid"/comm 2>/dev/null)" == "$name"* ]] || return 1
    echo "$pid"
}

stop_pid() {  # stop_pid <pidfile> <name>: SIGTERM, wait up to 15 s, then SIGKILL
    local pidfile=$1 name=$2 pid i
    if ! pid=$(pid_alive "$pidfile" "$name"); then
        rm -f "$pidfile"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 150); do
        [[ -d /proc/$pid ]] || break
        sleep 0.1
    done
    if [[ -d /proc/$pid ]]; then
        say "$name (PID $pid) ignored SIGTERM for 15 s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
    fi
    say "stopped $name (PID $pid)"
    rm -f "$pidfile"
}

free_port() {  # a TCP port nobody listens on, and the next one free as well
    python3 - <<'PY'
import socket
for _ in range(50):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    if port < 65000:
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", port + 1))
            print(port)
            break
        except OSError:
            pass
PY
}

install_packages() {
    local missing=()
    for tool in slurmctld slurmd slurmstepd sbatch squeue scontrol munged mungekey; do
        command -v "$tool" >/dev/null 2>&1 || [[ -x /usr/sbin/$tool ]] || missing+=("$tool")
    done
    ((${#missing[@]} == 0)) && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        say "missing ${missing[*]} and no apt-get to install slurm-wlm and munge"
        exit 12
    fi
    say "installing slurm-wlm and munge (missing: ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends slurm-wlm munge >"$DIR/apt-get.log" 2>&1 \
        || { cat "$DIR/apt-get.log" >&2; exit 12; }
}

write_config() {
    local host node port cpus mem gres_line=""
    host=$(hostname -s)
    # The node's real layout (CPUs, sockets, cores, threads) as slurmd sees it; memory a little below the total so
    # slurmd never finds less than configured (which would drain the node).
    node=$(slurmd -C | head -1 | sed -E 's/^NodeName=[^ ]+ //; s/ RealMemory=[0-9]+//')
    mem=$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)
    port=${LASSONET_SLURM_PORT:-$(free_port)}
    if [[ $GPUS == 1 ]]; then
        gres_line="Gres=gpu:1"
        # slurmd drops a GPU without a device file ("file-less GPU"); /dev/null stands in for one.
        printf '# A placeholder GPU: counted and allocated, no device behind it.\nNodeName=%s Name=gpu File=/dev/null\n' \
            "$host" >"$DIR/gres.conf"
    elif [[ $GPUS != 0 ]]; then
        say "LASSONET_SLURM_GPUS must be 0 or 1 (one placeholder GPU at most), not '$GPUS'"
        exit 64
    else
        : >"$DIR/gres.conf"
    fi
    cat >"$CONF" <<CONF
# Written by tests/slurm/cluster.sh: a single-node test cluster, no accounting, no cgroups.
ClusterName=lassonet-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge/munge.socket.2
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool/slurmd-%n
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu
# Finished jobs stay visible to squeue/scontrol for 5 minutes: the executor's squeue status query needs
# MinJobAge >= 3 x slurm-init-seconds-before-status-checks.
MinJobAge=300
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 $node RealMemory=$mem $gres_line State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
}

start_munge() {
    mkdir -p "$DIR/munge"
    chown munge:munge "$DIR/munge"
    chmod 0755 "$DIR/munge"  # munged wants the socket directory open to all (execute)
    if [[ ! -s $DIR/munge/munge.key ]]; then
        mungekey --create --keyfile="$DIR/munge/munge.key" >/dev/null
        chown munge:munge "$DIR/munge/munge.key"
        chmod 0600 "$DIR/munge/munge.key"
    fi
    if ! runuser -u munge -- test -r "$DIR/munge/munge.key"; then
        say "the munge user cannot reach $DIR/munge (a parent directory closed to other users?); choose another" \
            "LASSONET_SLURM_DIR"
        exit 13
    fi
    runuser -u munge -- /usr/sbin/munged \
        --socket="$DIR/munge/munge.socket.2" \
        --key-file="$DIR/munge/munge.key" \
        --pid-file="$DIR/munge/munged.pid" \
        --log-file="$DIR/munge/munged.log" \
        --seed-file="$DIR/munge/munged.seed" \
        || { cat "$DIR/munge/munged.log" >&2 || true; exit 13; }
    wait_for "munged" "test -S '$DIR/munge/munge.socket.2'" "$DIR/munge/munged.log"
}

wait_for() {  # wait_for <what> <shell test> <log>
    local what=$1 test=$2 log=$3 i
    for i in $(seq $((WAIT_SECONDS * 5))); do
        if eval "$test"; then
            return 0
        fi
        sleep 0.2
    done
    say "$what did not come up within $WAIT_SECONDS s; the end of $log:"
    tail -n 40 "$log" >&2 || true
    exit 13
}

node_state_idle() {  # 0 once the node is idle; a drained or invalid node stops the start at once
    local state
    state=$(sinfo -h -N -o "%t %E" 2>/dev/null) || return 1
    [[ $state == idle* ]] && return 0
    if [[ $state == inval* || $state == drain* ]]; then
        say "the node is '$state'"
        tail -n 20 "$DIR/log/slurmctld.log" >&2
        stop
        exit 13
    fi
    return 1
}

start() {
    if [[ $(id -u) != 0 ]]; then
        say "needs root (the SLURM daemons run as root, munged as the munge user)"
        exit 11
    fi
    mkdir -p "$DIR"
    if pid_alive "$DIR/run/slurmctld.pid" slurmctld >/dev/null || pid_alive "$DIR/run/slurmd.pid" slurmd >/dev/null \
        || pid_alive "$DIR/munge/munged.pid" munged >/dev/null; then
        say "a cluster is already running in $DIR; run '$0 stop' first"
        exit 10
    fi
    if [[ -e $SYSTEM_CONF || -L $SYSTEM_CONF ]] && [[ "$(readlink "$SYSTEM_CONF" || true)" != "$CONF" ]]; then
        say "$SYSTEM_CONF exists and is not this cluster's ($(readlink "$SYSTEM_CONF" || echo 'a regular file')):" \
            "a real cluster's configuration, or another test cluster is running; not touching it"
        exit 10
    fi
    install_packages
    rm -rf "$DIR/state" "$DIR/spool" "$DIR/run" "$DIR/log"
    mkdir -p "$DIR/state" "$DIR/spool/slurmd-$(hostname -s)" "$DIR/run" "$DIR/log"
    write_config
    mkdir -p "$(dirname "$SYSTEM_CONF")"
    ln -sfn "$CONF" "$SYSTEM_CONF"
    export SLURM_CONF=$CONF
    start_munge
    /usr/sbin/slurmctld -f "$CONF" || { tail -n 40 "$DIR/log/slurmctld.log" >&2; exit 13; }
    wait_for "slurmctld" "scontrol ping 2>/dev/null | grep -q UP" "$DIR/log/slurmctld.log"
    /usr/sbin/slurmd -f "$CONF" || { tail -n 40 "$DIR/log/slurmd.log" >&2; exit 13; }
    wait_for "the node (idle)" "node_state_idle" "$DIR/log/slurmd.log"
    say "up: $(sinfo -h -N -o '%N %t CPUs=%c Mem=%m GRES=%G'); SLURM_CONF=$CONF"
}

stop() {
    export SLURM_CONF=$CONF
    if pid_alive "$DIR/run/slurmctld.pid" slurmctld >/dev/null; then
        # Jobs first: slurmstepd (forked by slurmd) would outlive slurmd.
        scancel --quiet --full --state=RUNNING,PENDING,SUSPENDED "--user=$(id -un)" 2>/dev/null || true
        for _ in $(seq 100); do
            [[ -z $(squeue -h -t RUNNING,PENDING,SUSPENDED,COMPLETING -o %i 2>/dev/null) ]] && break
            sleep 0.2
        done
    fi
    stop_pid "$DIR/run/slurmd.pid" slurmd
    stop_pid "$DIR/run/slurmctld.pid" slurmctld
    stop_pid "$DIR/munge/munged.pid" munged
    if [[ -L $SYSTEM_CONF && "$(readlink "$SYSTEM_CONF")" == "$CONF" ]]; then
        rm -f "$SYSTEM_CONF"
    fi
}

status() {
    local name pidfile
    for name in munged slurmctld slurmd; do
        case $name in
            munged) pidfile=$DIR/munge/munged.pid ;;
            *) pidfile=$DIR/run/$name.pid ;;
        esac
        echo "$name: $(pid_alive "$pidfile" "$name" || echo 'not running')"
    done
    if [[ -f $CONF ]] && pid_alive "$DIR/run/slurmctld.pid" slurmctld >/dev/null; then
        SLURM_CONF=$CONF sinfo -N -o '%N %P %t %c %m %G'
        SLURM_CONF=$CONF squeue
    fi
}

case ${1:-} in
    start) start ;;
    stop) stop ;;
    status) status ;;
    env) echo "export SLURM_CONF=$CONF" ;;
    *) echo "usage: $0 start|stop|status|env  (directory: \$LASSONET_SLURM_DIR, now $DIR)" >&2; exit 64 ;;
esac
