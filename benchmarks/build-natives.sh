#!/usr/bin/env bash
# Builds libfuse's own passthrough_ll and passthrough_hp from the example/
# folder of Debian's fuse3 source package (the version installed here), into
# benchmarks/work/bin. Nothing of it is committed: it is fetched with
# 'apt-get source' and built on this machine.
#
# With LIBFUSE_SRC set to a libfuse source tree (e.g. an export of the public
# libfuse repository's fuse-3.18.x tag), it also builds that release's
# passthrough_hp with meson, its libfuse linked in statically (not Debian's
# 3.14), as benchmarks/work/bin/passthrough_hp_318. liburing-dev and
# libnuma-dev are installed first: without them meson leaves fuse-over-io-uring
# out and '-o io_uring' silently does nothing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$here/work"
bin="$work/bin"

if [[ -n "${LIBFUSE_SRC:-}" && ! ( -x "$bin/passthrough_hp_318" && "$bin/passthrough_hp_318" -nt "${BASH_SOURCE[0]}" ) ]]; then
    need=()
    for p in meson ninja-build liburing-dev libnuma-dev pkg-config g++; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
    done
    if ((${#need[@]})); then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    fi
    build="$work/libfuse-build"
    rm -rf "$build"
    meson setup "$build" "$LIBFUSE_SRC" --buildtype=release -Ddefault_library=static -Dutils=false -Dtests=false \
        -Denable-io-uring=true >/dev/null
    grep -q '^#define HAVE_URING' "$build/fuse_config.h" || { echo "build-natives.sh: libfuse built without io_uring" >&2; exit 1; }
    ninja -C "$build" example/passthrough_hp >/dev/null
    mkdir -p "$bin"
    cp "$build/example/passthrough_hp" "$bin/passthrough_hp_318"
    echo "built passthrough_hp $(meson introspect --projectinfo "$build" | grep -o '"version": "[^"]*"' | cut -d'"' -f4)" \
        "from $LIBFUSE_SRC into ${bin#"$here/"}/passthrough_hp_318" >&2
fi

# Rebuilt when this script changes (its flags decide what the natives can do).
if [[ -x "$bin/passthrough_ll" && -x "$bin/passthrough_hp" && "$bin/passthrough_hp" -nt "${BASH_SOURCE[0]}" ]]; then
    exit 0
fi

# Source packages need a deb-src entry; add one for the release this machine runs.
if ! grep -rqs '^Types: deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
    cat > /etc/apt/sources.list.d/panfuse-deb-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt-get update -qq
fi

version=$(dpkg-query -W -f='${Version}' libfuse3-dev)
src="$work/src"
rm -rf "$src"
mkdir -p "$src" "$bin"
(cd "$src" && apt-get source -qq "fuse3=$version" >/dev/null 2>&1)
example=$(echo "$src"/fuse3-*/example)
# libfuse's meson build probes these functions and defines HAVE_* for them; glibc 2.36 has them all.
# Without them the examples silently lose xattrs, copy_file_range, fallocate and utimensat (ENOSYS),
# which would not be the passthroughs libfuse ships.
have="-DHAVE_SETXATTR -DHAVE_COPY_FILE_RANGE -DHAVE_FALLOCATE -DHAVE_POSIX_FALLOCATE -DHAVE_UTIMENSAT"
have="$have -DHAVE_FSTATAT -DHAVE_OPENAT -DHAVE_READLINKAT -DHAVE_PIPE2 -DHAVE_SPLICE -DHAVE_VMSPLICE -DHAVE_FDATASYNC"
flags="-O2 -D_FILE_OFFSET_BITS=64 $have $(pkg-config --cflags fuse3)"
libs="$(pkg-config --libs fuse3) -lpthread"
gcc $flags -o "$bin/passthrough_ll" "$example/passthrough_ll.c" $libs
g++ $flags -std=c++17 -o "$bin/passthrough_hp" "$example/passthrough_hp.cc" $libs
echo "built passthrough_ll and passthrough_hp from fuse3 $version into ${bin#"$here/"}" >&2
