#!/usr/bin/env bash
# The reader over a real SSH link: a private sshd on 127.0.0.1 (a host key
# and a client key made for the run), `ssh -tt` inside a detached 200x60
# tmux session, and the reader on the bundled corpus at the other end.
#
# 1. Counts the bytes each action sends over the link (the terminal output
#    the ssh client receives, as tmux's pipe-pane sees it, and, where `ss`
#    reports it, the TCP payload the client's socket received), and prints
#    a markdown table; with `less` installed, the same for less on a long
#    text file, for comparison.
# 2. Makes one annotation decision, then kills the ssh client (SIGKILL) and
#    checks that the remote reader is gone within a second and that the
#    journal is intact: the same bytes as before the kill, every line JSON.
#    Where strace can attach to it, also that the reader ended by the
#    hangup's SIGHUP or an exit, not a crash.
#
# Usage: tests/ssh/run.sh   (DOSSIER=path/to/dossier to test another binary)
# Exits 0 when every check passed, 77 when sshd, ssh, tmux, python3 or
# pgrep is missing (a skip), and 1 with the reason on stderr when a check
# failed.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
DOSSIER=${DOSSIER:-$root/target/release/dossier}
IDLE_SECS=${IDLE_SECS:-10}
EXIT_LIMIT_MS=1000

skip() {
    echo "skip: $*" >&2
    exit 77
}
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

SSHD=${SSHD:-}
if [[ -z $SSHD ]]; then
    if [[ -x /usr/sbin/sshd ]]; then
        SSHD=/usr/sbin/sshd
    else
        SSHD=$(command -v sshd || true)
    fi
fi
[[ -n $SSHD && -x $SSHD ]] || skip "sshd not found at ${SSHD:-/usr/sbin/sshd or on PATH} (install openssh-server)"
for tool in ssh ssh-keygen tmux python3 pgrep; do
    command -v "$tool" >/dev/null || skip "$tool not found"
done

if [[ ! -x $DOSSIER ]]; then
    echo "building $DOSSIER (cargo build --release)" >&2
    (cd "$root" && cargo build --release --quiet)
fi
DOSSIER=$(realpath "$DOSSIER")
[[ -x $DOSSIER ]] || fail "no dossier binary at $DOSSIER"

# --- the temporary world ---------------------------------------------------
T=$(mktemp -d)
chmod 700 "$T"
SOCK=$T/tmux.sock
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
sshd_pid=
strace_pid=
cleanup() {
    if [[ -n $strace_pid ]]; then kill "$strace_pid" 2>/dev/null || true; fi
    tm kill-server 2>/dev/null || true
    if [[ -n $sshd_pid ]]; then
        kill "$sshd_pid" 2>/dev/null || true
        wait "$sshd_pid" 2>/dev/null || true
    fi
    if [[ -n ${KEEP_TMP:-} ]]; then
        echo "kept $T" >&2
    else
        rm -rf "$T"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ms() { echo $(($(date +%s%N) / 1000000)); }
size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# --- sshd ------------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C dossier-ssh-test-host -f "$T/host_key"
ssh-keygen -q -t ed25519 -N '' -C dossier-ssh-test-client -f "$T/client_key"
cp "$T/client_key.pub" "$T/authorized_keys"
chmod 600 "$T/authorized_keys"

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$T/sshd_config" <<EOF
ListenAddress 127.0.0.1:$PORT
HostKey $T/host_key
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowTcpForwarding no
LogLevel VERBOSE
EOF

# As root, sshd needs its privilege-separation directory (made by the
# service manager on a normal boot).
if [[ $(id -u) == 0 && ! -d /run/sshd ]]; then
    mkdir -p -m 0755 /run/sshd
fi
"$SSHD" -t -f "$T/sshd_config" || fail "sshd rejects the test config"
"$SSHD" -D -e -f "$T/sshd_config" 2>"$T/sshd.log" &
sshd_pid=$!
for _ in $(seq 100); do
    grep -q "Server listening" "$T/sshd.log" 2>/dev/null && break
    kill -0 "$sshd_pid" 2>/dev/null || fail "sshd died: $(cat "$T/sshd.log")"
    sleep 0.05
done
grep -q "Server listening" "$T/sshd.log" || fail "sshd is not listening: $(cat "$T/sshd.log")"

SSH=(ssh -tt -p "$PORT" -i "$T/client_key"
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
    -o BatchMode=yes -o LogLevel=ERROR -o IdentitiesOnly=yes 127.0.0.1)

# A non-interactive check of the link before any terminal is involved.
out=$(ssh "${SSH[@]:2}" true 2>&1 </dev/null) || fail "ssh to 127.0.0.1:$PORT failed: $out
$(cat "$T/sshd.log")"

# --- tmux ------------------------------------------------------------------
# A private tmux server (its own socket, no config), one 200x60 session per
# program; each pane waits for a go so that pipe-pane is on before the
# first byte arrives, then execs ssh, so that the pane's pid is the client's.

# start_session NAME REMOTE_COMMAND: a session running ssh, its output piped
# to $T/NAME.out.
start_session() {
    local name=$1 remote=$2
    {
        printf 'tmux -S %q wait-for %q\n' "$SOCK" "go-$name"
        printf 'exec'
        printf ' %q' "${SSH[@]}" "$remote"
        printf '\n'
    } >"$T/client-$name.sh"
    : >"$T/$name.out"
    tm new -d -s "$name" -x 200 -y 60 "exec bash $(printf %q "$T/client-$name.sh")"
    tm set -t "$name" status off \; set -t "$name" remain-on-exit on
    tm pipe-pane -o -t "$name" "cat >> $(printf %q "$T/$name.out")"
    tm wait-for -S "go-$name"
}

pane_pid() { tm list-panes -t "$1" -F '#{pane_pid}'; }
screen() { tm capture-pane -p -t "$1"; }

# wait_screen NAME TEXT [SECONDS]: until the pane shows TEXT.
wait_screen() {
    local deadline=$(($(ms) + ${3:-10} * 1000))
    until screen "$1" | grep -qF -- "$2"; do
        (($(ms) < deadline)) || fail "$1: \"$2\" never appeared; the screen:
$(screen "$1")"
        sleep 0.05
    done
}

# The TCP payload received so far by the ssh client with pid $1 (empty when
# ss does not say).
tcp_bytes() {
    command -v ss >/dev/null || return 0
    ss -Htinp state established "( dport = :$PORT )" 2>/dev/null |
        awk -v pid="pid=$1," '
            index($0, pid) { found = 1; next }
            found { if (match($0, /bytes_received:[0-9]+/)) print substr($0, RSTART + 15, RLENGTH - 15); exit }'
}

# settle FILE EXPECT [START]: waits until FILE has not grown for 300 ms and
# prints how much it grew from START (its size now when not given). With
# EXPECT=grow it first waits (up to 3 s) for the first byte, so that a slow
# link is not mistaken for a quiet one.
settle() {
    local file=$1 expect=$2 start=${3:-} now last stable_since deadline
    [[ -n $start ]] || start=$(size "$file")
    if [[ $expect == grow ]]; then
        deadline=$(($(ms) + 3000))
        while (($(size "$file") == start && $(ms) < deadline)); do sleep 0.02; done
    fi
    last=$(size "$file")
    stable_since=$(ms)
    deadline=$(($(ms) + 15000))
    while :; do
        sleep 0.05
        now=$(size "$file")
        if ((now != last)); then
            last=$now
            stable_since=$(ms)
        elif (($(ms) - stable_since >= 300)); then
            break
        fi
        (($(ms) < deadline)) || fail "$file never stopped growing"
    done
    echo $((last - start))
}

declare -A BYTES TCP
# measure PROGRAM ACTION EXPECT [KEYS...]: sends the keys (none: just waits)
# and records the bytes that came back.
measure() {
    local prog=$1 action=$2 expect=$3 tcp0 tcp1 before
    shift 3
    # Both counts are taken before the keys go: over a local link the
    # answer can arrive before this script looks again.
    tcp0=$(tcp_bytes "$(pane_pid "$prog")")
    before=$(size "$T/$prog.out")
    if (($#)); then tm send-keys -t "$prog" "$@"; fi
    if [[ $expect == idle ]]; then
        sleep "$IDLE_SECS"
        BYTES[$prog/$action]=$(($(size "$T/$prog.out") - before))
    else
        BYTES[$prog/$action]=$(settle "$T/$prog.out" "$expect" "$before")
    fi
    tcp1=$(tcp_bytes "$(pane_pid "$prog")")
    if [[ -n $tcp0 && -n $tcp1 ]]; then TCP[$prog/$action]=$((tcp1 - tcp0)); fi
}

# --- the reader ------------------------------------------------------------
MARK=ssh-test-$$-$RANDOM
work=$T/work
mkdir -m 700 "$work" "$T/data" "$T/cache" "$T/config" "$T/state"
remote=$(printf 'cd %q && exec env XDG_DATA_HOME=%q XDG_CACHE_HOME=%q XDG_CONFIG_HOME=%q XDG_STATE_HOME=%q TERM=tmux-256color %q --annotator %q' \
    "$work" "$T/data" "$T/cache" "$T/config" "$T/state" "$DOSSIER" "$MARK")

# The remote reader's pid: the process whose command line has the marker
# and which is dossier (not the ssh client, the tmux server or a shell).
reader_pids() {
    local p
    for p in $(pgrep -f -- "$MARK" || true); do
        [[ $(cat "/proc/$p/comm" 2>/dev/null) == dossier ]] && echo "$p"
    done
    return 0
}

t0=$(ms)
start_session dossier "$remote"
wait_screen dossier "Documents 5" 20
wait_screen dossier " LIST "
settle "$T/dossier.out" stable >/dev/null
BYTES[dossier/start]=$(size "$T/dossier.out")
TCP[dossier/start]=$(tcp_bytes "$(pane_pid dossier)")
start_ms=$(($(ms) - t0))
screen dossier | grep -q "ARTICLE\|LIST" || fail "no reader on screen"

# The longest seed (the third): two pages when zoomed.
measure dossier open grow j j Enter
wait_screen dossier " ARTICLE "
measure dossier line grow j
measure dossier page grow PageDown
measure dossier next grow n
measure dossier focus grow x
# Full-width reading: the article zoomed to the whole screen scrolls by
# scrolling the terminal.
measure dossier unfocus grow x
wait_screen dossier " ARTICLE "
measure dossier zoom grow z
measure dossier zline grow j
measure dossier zpage grow PageDown
measure dossier unzoom grow z
measure dossier idle idle
# Back to the panel, where the decision below starts.
tm send-keys -t dossier x
wait_screen dossier " LINKS "

# --- less, for comparison --------------------------------------------------
have_less=
if command -v less >/dev/null; then
    have_less=1
    long=$work/long.txt
    for _ in $(seq 20); do cat "$root"/seeds/*.txt; done >"$long"
    start_session less "$(printf 'TERM=tmux-256color LANG=C.UTF-8 LESSCHARSET=utf-8 LESS= LESSHISTFILE=- exec less %q' "$long")"
    settle "$T/less.out" grow >/dev/null
    BYTES[less/start]=$(size "$T/less.out")
    TCP[less/start]=$(tcp_bytes "$(pane_pid less)")
    measure less line grow j
    measure less page grow Space
    measure less idle idle
    tm send-keys -t less q
fi

# --- the table -------------------------------------------------------------
cell() {
    local v=${BYTES[$1]:-} t=${TCP[$1]:-}
    if [[ -z $v ]]; then
        printf '—'
    elif [[ -n $t ]]; then
        printf '%s (%s)' "$v" "$t"
    else
        printf '%s' "$v"
    fi
}
echo
echo "Bytes per action at 200x60 over ssh to 127.0.0.1: terminal output (TCP payload received by the client)"
echo
if [[ -n $have_less ]]; then
    echo "| action | dossier bytes | less bytes |"
    echo "|---|---|---|"
else
    echo "| action | bytes |"
    echo "|---|---|"
fi
row() {
    local label=$1 key=$2 less_key=${3:-}
    if [[ -n $have_less ]]; then
        printf '| %s | %s | %s |\n' "$label" "$(cell "dossier/$key")" "$(if [[ -n $less_key ]]; then cell "less/$less_key"; else printf '—'; fi)"
    else
        printf '| %s | %s |\n' "$label" "$(cell "dossier/$key")"
    fi
}
row "start to first settled screen (${start_ms} ms)" start start
row "open the third article (j j Enter)" open
row "scroll one line (j)" line line
row "page down (PageDown; less: Space)" page page
row "next mention (n)" next
row "focus the cross-link panel (x)" focus
row "back to the article (x)" unfocus
row "zoom the article (z)" zoom
row "zoomed: scroll one line (j)" zline line
row "zoomed: page down (PageDown; less: Space)" zpage page
row "every pane back (z)" unzoom
row "idle ${IDLE_SECS} s" idle idle
echo

failed=
idle=${BYTES[dossier/idle]}
if ((idle != 0)); then
    echo "FAIL: the reader sent $idle bytes while idle" >&2
    failed=1
fi

# --- a decision, then the ssh client killed --------------------------------
# Back to the article, and reject the mention under the cursor: one line
# appended to the journal (after its header line).
tm send-keys -t dossier x
wait_screen dossier " ARTICLE "
tm send-keys -t dossier d
wait_screen dossier "saved: rejected"
journal=
deadline=$(($(ms) + 5000))
while :; do
    journal=$(find "$T/data/dossier/journals" -name '*.jsonl' -size +0c 2>/dev/null | head -n1)
    if [[ -n $journal ]] && (($(wc -l <"$journal") >= 2)); then break; fi
    (($(ms) < deadline)) || fail "no journal with the decision under $T/data/dossier/journals"
    sleep 0.05
done
journal_bytes=$(size "$journal")
journal_sum=$(sha256sum <"$journal")

readers=$(reader_pids)
[[ -n $readers ]] || fail "cannot find the remote reader (marker $MARK)"
ssh_pid=$(pane_pid dossier)
[[ $(cat "/proc/$ssh_pid/comm") == ssh ]] || fail "pane pid $ssh_pid is $(cat "/proc/$ssh_pid/comm"), not ssh"

# How the reader ends is seen by its parent (the remote sshd) only: where
# strace can attach (root, or ptrace allowed), it watches the reader from
# here on, so that a crash on the way out (an exit by SIGABRT, say) is
# told apart from ending by the hangup's SIGHUP, as the README promises.
strace_log=
reader=${readers%%$'\n'*}
if command -v strace >/dev/null; then
    strace -f -q -e trace=none -o "$T/reader.strace" -p "$reader" 2>"$T/strace.err" &
    strace_pid=$!
    for _ in $(seq 100); do
        if [[ $(awk '/^TracerPid:/ { print $2 }' "/proc/$reader/status" 2>/dev/null) == "$strace_pid" ]]; then
            strace_log=$T/reader.strace
            break
        fi
        kill -0 "$strace_pid" 2>/dev/null || break
        sleep 0.02
    done
    [[ -n $strace_log ]] || echo "note: strace cannot attach to the reader ($(head -c 200 "$T/strace.err")); how it ends is not checked"
else
    echo "note: strace is not installed; how the reader ends is not checked"
fi

kill -9 "$ssh_pid"
killed=$(ms)
gone_ms=
while (($(ms) - killed < 5000)); do
    if [[ -z $(reader_pids) ]]; then
        gone_ms=$(($(ms) - killed))
        break
    fi
    sleep 0.01
done

if [[ -z $gone_ms ]]; then
    echo "FAIL: the remote reader ($readers) still runs 5 s after the ssh client was killed" >&2
    for p in $readers; do
        echo "  $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) state $(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" >&2
    done
    echo "sshd log:" >&2
    tail -n 20 "$T/sshd.log" >&2
    failed=1
elif ((gone_ms > EXIT_LIMIT_MS)); then
    echo "FAIL: the remote reader exited ${gone_ms} ms after the ssh client was killed (limit ${EXIT_LIMIT_MS} ms)" >&2
    failed=1
else
    echo "the remote reader exited ${gone_ms} ms after the ssh client was killed"
fi

if [[ -n $strace_log ]]; then
    wait "$strace_pid" 2>/dev/null || true
    strace_pid=
    # One line per thread and event: "PID --- SIGHUP {...} ---",
    # "PID +++ killed by SIGABRT +++".
    signals=$(sed -n 's/^[0-9]* *--- \(SIG[A-Z0-9]*\) .*/\1/p' "$strace_log" | awk '!seen[$0]++' | paste -sd, - | sed 's/,/, /g')
    ending=$(sed -n "s/^$reader *+++ \\(.*\\) +++\$/\\1/p" "$strace_log" | tail -n1)
    echo "the reader received ${signals:-no signal}, then was ${ending:-never seen to end}"
    case $ending in
    "exited with "* | "killed by SIGHUP" | "killed by SIGTERM") ;;
    *)
        echo "FAIL: the remote reader did not end by the hangup's SIGHUP or an exit but was ${ending:-?}" >&2
        echo "  (strace's record of it: $strace_log; KEEP_TMP=1 keeps it)" >&2
        failed=1
        ;;
    esac
fi

now_bytes=$(size "$journal")
if ((now_bytes != journal_bytes)) || [[ $(sha256sum <"$journal") != "$journal_sum" ]]; then
    echo "FAIL: the journal changed after the kill: $journal_bytes -> $now_bytes bytes" >&2
    failed=1
fi
if ! python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if not line.endswith("\n"):
        sys.exit(f"line {n} is not ended by a newline")
    json.loads(line)
' "$journal"; then
    echo "FAIL: the journal is not one JSON value a line:" >&2
    cat "$journal" >&2
    failed=1
fi
echo "journal: $(wc -l <"$journal") lines, $journal_bytes bytes, intact after the kill"

if [[ -n $failed ]]; then
    exit 1
fi
echo "ok"
