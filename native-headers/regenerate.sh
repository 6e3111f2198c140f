#!/usr/bin/env bash
# Regenerates the FFM bindings in bindings/src/main/java from panfuse.h.
#
# jextract is taken from $JEXTRACT, else from PATH. It must be the JDK 22 line
# of openjdk/jextract (the README names the revision the committed sources
# came from); a newer jextract emits code that needs JDK 23+.
#
# The output directory is wiped first so that a symbol dropped from
# jextract.args also disappears from the sources. Run from anywhere.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../bindings/src/main/java"
pkg_dir="$out/org/panfuse/bindings"
jextract="${JEXTRACT:-$(command -v jextract || true)}"

if [[ -z "$jextract" || ! -x "$jextract" ]]; then
    echo "regenerate.sh: jextract not found: set JEXTRACT or put jextract on PATH (see README, 'Regenerating the bindings')" >&2
    exit 1
fi
if [[ ! -f /usr/include/fuse3/fuse_lowlevel.h ]]; then
    echo "regenerate.sh: /usr/include/fuse3/fuse_lowlevel.h missing: apt-get install libfuse3-dev" >&2
    exit 1
fi

rm -rf "$pkg_dir"
# Paths are relative so the generated sources do not depend on the checkout's location.
cd "$here"
"$jextract" @jextract.args --output "$out" panfuse.h
echo "regenerated $(find "$pkg_dir" -name '*.java' | wc -l) files in ${pkg_dir#"$here/../"}"
