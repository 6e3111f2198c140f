#!/usr/bin/env bash
# panfuse's encrypted views against gocryptfs (Debian's 2.3), as root:
#   benchmarks/run-encrypted.sh           3 rounds, then restore and fio; writes the encrypted sections of RESULTS.md
#   benchmarks/run-encrypted.sh --quick   one short round, one restore and fio run; prints, writes nothing
# panfuse --encrypt against gocryptfs -reverse over the same plaintext on tmpfs,
# and panfuse --decrypt against gocryptfs -ro over a backup (an rsync copy of the
# encrypted view), each target its own process, targets interleaved round after
# round. Only the sections between the encrypted* markers of RESULTS.md change.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

quick=false
rounds=3
workloads='EncryptedViewBenchmarks'
for arg in "$@"; do
    case "$arg" in
        --quick) quick=true; rounds=1 ;;
        --rounds=*) rounds="${arg#--rounds=}" ;;
        --workloads=*) workloads="EncryptedViewBenchmarks.(${arg#--workloads=})" ;;
        *) echo "run-encrypted.sh: unknown argument '$arg' (--quick, --rounds=N, --workloads=a|b)" >&2; exit 2 ;;
    esac
done

# 1. The machine (gocryptfs, rsync and fio are among panfuse's set-up packages) and the jars.
JAVA_HOME=$(bin/setup.sh)
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
mvn -q -B -ntp -DskipTests -pl benchmarks -am install
jar=benchmarks/target/benchmarks.jar

if $quick; then
    jmh_opts=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
else
    jmh_opts=(-f 1 -wi 2 -w 2s -i 3 -r 2s)
fi
results="benchmarks/work/results/encrypted-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$results"

# 2. The plaintext, its key file and the backup, on tmpfs: built once, kept for later runs.
java -cp "$jar" org.panfuse.benchmarks.CryptFixture >&2

# 3. Rounds, targets interleaved.
for ((r = 1; r <= rounds; r++)); do
    for target in gocryptfs_reverse panfuse_encrypt gocryptfs_forward panfuse_decrypt; do
        echo "== round $r/$rounds, $target" >&2
        java -jar "$jar" "$workloads" -p target="$target" "${jmh_opts[@]}" \
            -rf csv -rff "$results/r$r-$target.csv" > "$results/r$r-$target.log" 2>&1 \
            || { tail -30 "$results/r$r-$target.log" >&2; exit 1; }
    done
done
table=$(java -cp "$jar" org.panfuse.benchmarks.EncryptedTable "$results"/r*.csv)

# 4. Restoring without a mount, and fio's view of the reads.
echo "== restore, fio" >&2
restore=$(java -cp "$jar" org.panfuse.benchmarks.RestoreTiming --rounds "$rounds")
fio=$(java -cp "$jar" org.panfuse.benchmarks.EncryptedFio --runs "$rounds" --seconds 5)

if $quick; then
    printf '%s\n\n%s\n\n%s\n' "$table" "$restore" "$fio"
    exit 0
fi
out=benchmarks/RESULTS.md
java -cp "$jar" org.panfuse.benchmarks.MarkdownSection "$out" encrypted "$table"
java -cp "$jar" org.panfuse.benchmarks.MarkdownSection "$out" encrypted-restore "$restore"
java -cp "$jar" org.panfuse.benchmarks.MarkdownSection "$out" encrypted-fio "$fio"
machine="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
about="- date: $(date -u +%Y-%m-%dT%H:%MZ)
- machine: $machine; kernel $(uname -r)
- JDK: $(java -version 2>&1 | head -1); $(gocryptfs -version | head -1)
- command: \`benchmarks/run-encrypted.sh\` ($rounds rounds, JMH ${jmh_opts[*]}; restore and fio $rounds runs)"
java -cp "$jar" org.panfuse.benchmarks.MarkdownSection "$out" encrypted-about "$about"
echo "wrote the encrypted sections of $out (raw results in $results)" >&2
