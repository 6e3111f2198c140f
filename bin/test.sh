#!/usr/bin/env bash
# The test command: sets up the machine (bin/setup.sh), builds every module
# and runs the whole suite, mounts included, then checks the API docs. Needs
# root (mounting, namespaces). Exits nonzero if a test fails, if no test ran
# at all, or if javadoc fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

JAVA_HOME=$(bin/setup.sh)
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
echo "test: JDK $JAVA_HOME" >&2

find . \( -path "*/target/surefire-reports" -o -path "*/target/failsafe-reports" \) -prune -exec rm -rf {} + 2>/dev/null || true
status=0
mvn -B -ntp verify "$@" || status=$?

# The API docs: javadoc with every doclint check, any warning failing it (pom.xml), so a public type
# or member of fs or crypt without its comment fails CI. The modules are compiled in this same
# invocation, so none needs installing; only warnings and errors are shown. It runs whether or not
# the tests passed, and fails the run on its own.
mvn -B -ntp -Dorg.slf4j.simpleLogger.defaultLogLevel=warn compile javadoc:javadoc -pl bindings,fs,crypt \
    || { echo "test: javadoc failed (see the warnings above)" >&2; status=1; }

# Count what surefire ran, across modules, so an empty run cannot pass.
read -r tests failures errors skipped < <(
    cat */target/surefire-reports/TEST-*.xml */target/failsafe-reports/TEST-*.xml 2>/dev/null | grep -o '<testsuite [^>]*>' |
    sed -E 's/.* tests="([0-9]+)".* errors="([0-9]+)".* skipped="([0-9]+)".* failures="([0-9]+)".*/\1 \4 \2 \3/' |
    awk '{t+=$1; f+=$2; e+=$3; s+=$4} END {print t+0, f+0, e+0, s+0}')
failed=$((failures + errors))
echo "tests: $((tests - failed - skipped)) passed, $failed failed, $skipped skipped"
if ((tests == 0)); then
    echo "test: no test ran" >&2
    exit 1
fi
exit "$status"
