#!/usr/bin/env bash
# Puts on this machine what panfuse needs to build, test and mount, then
# prints the JAVA_HOME to use. Idempotent and quiet when all is there.
# Sourced by bin/test.sh and bin/panfuse; run it alone to prepare a machine.
set -euo pipefail

# Debian packages: libfuse (runtime, headers, fusermount3), a C compiler for
# the ABI probes, and the tools the tests drive through the mount.
PANFUSE_PACKAGES=(fuse3 libfuse3-dev gcc libc6-dev make maven util-linux attr acl e2fsprogs rsync fio sqlite3 git tar restic borgbackup gocryptfs)

missing=()
for p in "${PANFUSE_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "setup: missing packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "setup: installing ${missing[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

# A JDK of 22 or newer: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
java_feature() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
pick_jdk() {
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" ]] && (( $(java_feature "$JAVA_HOME") >= 22 )); then
        echo "$JAVA_HOME"; return
    fi
    local best="" best_v=0 d v
    for d in /usr/lib/jvm/*/; do
        d="${d%/}"
        [[ -x "$d/bin/javac" ]] || continue
        v=$(java_feature "$d"); [[ "$v" =~ ^[0-9]+$ ]] || continue
        if (( v >= 22 && v > best_v )); then best="$d"; best_v=$v; fi
    done
    [[ -n "$best" ]] && echo "$best"
}
jdk=$(pick_jdk || true)
if [[ -z "$jdk" ]]; then
    echo "setup: no JDK 22 or newer found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
    exit 1
fi
echo "$jdk"
