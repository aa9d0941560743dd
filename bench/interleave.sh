#!/usr/bin/env bash
# Interleaving benchmark: N seeded schedules (default 300) of concurrent releases, approvals,
# rejections, expiries, aborts, a person's rollbacks, failing and cancelled steps, worker restarts and
# early continue-as-new, on the time-skipping test server with stand-in hosts (see
# workflows/src/test/java/org/releaseengine/interleave/Schedule.java). A failing schedule prints its
# seed and steps. INTERLEAVE_FIRST_SEED (default 1) and INTERLEAVE_WITHHOLD (change ids run as
# before them, comma-separated: the harness then stops at the first schedule that breaks a promise)
# pick what runs; INTERLEAVE_THREADS engines run side by side (default 4).
# Ends with: interleave schedules=N violations=… task_failures=… max_release_history_kb=…
#            history_bytes_per_measurement=… measurements=… seconds=…
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
count="${1:-300}"
mvn -q -B -ntp -pl workflows -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/interleave-classpath.txt >/dev/null
classpath="workflows/target/test-classes:workflows/target/classes:$(cat workflows/target/interleave-classpath.txt)"
# bounded: 5,000 schedules within the hour on two cores
exec timeout "${BENCH_TIMEOUT:-3600}" java -Xmx1g -Dinterleave.threads="${INTERLEAVE_THREADS:-4}" \
  -cp "$classpath" org.releaseengine.interleave.Interleavings "$count" \
  "${INTERLEAVE_FIRST_SEED:-1}" "${INTERLEAVE_WITHHOLD:-}" 2>/dev/null
