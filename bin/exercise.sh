#!/usr/bin/env bash
# The long runs that CI does not do (see TESTING.md):
#   bin/exercise.sh --ops=100000 --seeds=1,2,3,4,5   randomized differential exerciser
#   bin/exercise.sh --scale=1000000                  memory and descriptors with 1,000,000 inodes
# An exerciser failure prints the seed and the shortest failing prefix, and
# writes the prefix to fs/target/exerciser-seed-SEED.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ops=100000
seeds=1,2,3
scale=
for arg in "$@"; do
    case "$arg" in
        --ops=*) ops="${arg#--ops=}" ;;
        --seeds=*) seeds="${arg#--seeds=}" ;;
        --scale=*) scale="${arg#--scale=}" ;;
        *) echo "exercise.sh: unknown argument '$arg' (--ops=N, --seeds=a,b,c, --scale=N)" >&2; exit 2 ;;
    esac
done
JAVA_HOME=$(bin/setup.sh)
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
mvn -q -B -ntp -DskipTests -pl fs -am install
cd fs
if [[ -n "$scale" ]]; then
    exec mvn -B -ntp surefire:test -Dtest=InodeScaleTest -Dscale.inodes="$scale" -Dsurefire.failIfNoSpecifiedTests=false
fi
exec mvn -B -ntp surefire:test -Dtest=RandomDifferentialTest -Dexerciser.ops="$ops" -Dexerciser.seeds="$seeds" \
    -Dsurefire.failIfNoSpecifiedTests=false
