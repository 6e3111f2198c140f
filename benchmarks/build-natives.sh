#!/usr/bin/env bash
# Builds libfuse's own passthrough_ll and passthrough_hp from the example/
# folder of Debian's fuse3 source package (the version installed here), into
# benchmarks/work/bin. Nothing of it is committed: it is fetched with
# 'apt-get source' and built on this machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$here/work"
bin="$work/bin"

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
