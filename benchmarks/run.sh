#!/usr/bin/env bash
# Runs the whole benchmark suite in one go on a fresh machine, as root:
#   benchmarks/run.sh            full run: 3 rounds, then fio, start-up, RESULTS.md and results-ratios.svg
#   benchmarks/run.sh --quick    one short round (under five minutes), nothing written
#   LIBFUSE_SRC=DIR benchmarks/run.sh   also libfuse's newest passthrough_hp, built from
#                                the libfuse source tree DIR (see build-natives.sh)
#   --settings=matched           other cache settings than "default uncached" (see Setting.java)
#   --targets=a,b                only these targets; with --settings or --targets, the table
#                                is printed and RESULTS.md is left alone
# Targets run interleaved (round 1: ll hp [hp_318] panfuse panfuse_never bare, round 2: the same, ...)
# so that drift over the run hits them all alike. Every FUSE target is its own
# process, mounted over a source directory on tmpfs (/dev/shm).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

quick=false
rounds=3
workloads='FsBenchmarks'
settings='default uncached'
only_targets=''
partial=false
for arg in "$@"; do
    case "$arg" in
        --quick) quick=true; rounds=1 ;;
        --rounds=*) rounds="${arg#--rounds=}" ;;
        --workloads=*) workloads="FsBenchmarks.(${arg#--workloads=})" ;;
        --settings=*) settings="${arg#--settings=}"; settings="${settings//,/ }"; partial=true ;;
        --targets=*) only_targets="${arg#--targets=}"; partial=true ;;
        *) echo "run.sh: unknown argument '$arg' (--quick, --rounds=N, --workloads=a|b, --settings=a,b, --targets=a,b)" >&2; exit 2 ;;
    esac
done

# 1. The machine: panfuse's own set-up, plus what the benchmarks need.
JAVA_HOME=$(bin/setup.sh)
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
need=()
for p in fio g++ pkg-config dpkg-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
benchmarks/build-natives.sh
targets=(passthrough_ll passthrough_hp)
if [[ -n "${LIBFUSE_SRC:-}" ]]; then
    targets+=(passthrough_hp_318)
fi
targets+=(panfuse panfuse_never bare)
if [[ -n "$only_targets" ]]; then
    IFS=, read -r -a targets <<< "$only_targets"
fi

# 2. The jars: panfuse's mount jar and the JMH jar.
mvn -q -B -ntp -DskipTests -pl benchmarks -am install
jar=benchmarks/target/benchmarks.jar

if $quick; then
    jmh_opts=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
else
    jmh_opts=(-f 1 -wi 2 -w 2s -i 3 -r 2s)
fi
results="benchmarks/work/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$results"

# 3. Rounds, targets interleaved.
for ((r = 1; r <= rounds; r++)); do
    for setting in $settings; do
        for target in "${targets[@]}"; do
            echo "== round $r/$rounds, $setting, $target" >&2
            java -jar "$jar" "$workloads" -p target="$target" -p setting="$setting" "${jmh_opts[@]}" \
                -rf csv -rff "$results/r$r-$setting-$target.csv" > "$results/r$r-$setting-$target.log" 2>&1 \
                || { tail -30 "$results/r$r-$setting-$target.log" >&2; exit 1; }
        done
    done
done

# 4. The table; a full run also cross-checks with fio, times start-up and writes RESULTS.md.
if $quick || $partial; then
    java -cp "$jar" org.panfuse.benchmarks.ResultsTable "$results"/*.csv
    exit 0
fi
out=benchmarks/RESULTS.md
# The ratios also as a picture, next to RESULTS.md (which shows it).
java -cp "$jar" org.panfuse.benchmarks.ResultsTable --into "$out" --chart benchmarks/results-ratios.svg "$results"/*.csv
java -cp "$jar" org.panfuse.benchmarks.FioCrossCheck --seconds 5 --into "$out"  # hp_318 where it was built
startup=$(java -cp "$jar" org.panfuse.benchmarks.StartupTime 10)
java -cp "$jar" org.panfuse.benchmarks.MarkdownSection "$out" startup "$startup"
# The flight-recorder hook's cost with no recording running.
java -jar "$jar" EventCheckBenchmark -rf text -rff "$results/event-check.txt" > "$results/event-check.log" 2>&1
java -cp "$jar" org.panfuse.benchmarks.MarkdownSection "$out" jfr "$(printf '```\n%s\n```' "$(cat "$results/event-check.txt")")"
machine="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
about="- date: $(date -u +%Y-%m-%dT%H:%MZ)
- machine: $machine
- kernel: $(uname -r); $(. /etc/os-release && echo "$PRETTY_NAME")
- JDK: $(java -version 2>&1 | head -1); libfuse $(dpkg-query -W -f='${Version}' libfuse3-3)${LIBFUSE_SRC:+; passthrough_hp_318: libfuse $(cd "$LIBFUSE_SRC" && grep -m1 -o "version: *'[^']*'" meson.build | cut -d"'" -f2) (\`LIBFUSE_SRC\`), fs.pipe-max-size $(cat /proc/sys/fs/pipe-max-size)}
- command: \`benchmarks/run.sh\` ($rounds rounds, JMH ${jmh_opts[*]}; fio 5 s per job)"
java -cp "$jar" org.panfuse.benchmarks.MarkdownSection "$out" about "$about"
echo "wrote $out (raw results in $results)" >&2
