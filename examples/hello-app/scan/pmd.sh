#!/bin/sh
# SAST: PMD 7 over the app's sources, written as SARIF 2.1.0 to pmd.sarif. It runs in the gate
# runner image named in release.yaml, which holds PMD's jars in /opt/pmd/lib; elsewhere PMD_LIB names
# a folder of them (scan/pmd-runner.xml fetches them, as the GitHub workflow does).
# PMD exits 4 when it finds something: the gate decides.
set -e
lib="${PMD_LIB:-/opt/pmd/lib}"
[ -d "$lib" ] || { echo "pmd.sh: no PMD in $lib (run it in the runner image release.yaml names)" >&2; exit 2; }
status=0
java -cp "$lib/*" net.sourceforge.pmd.cli.PmdCli check --no-progress --no-cache \
  -d src -R rulesets/java/quickstart.xml -f sarif -r pmd.sarif || status=$?
[ "$status" -eq 0 ] || [ "$status" -eq 4 ]
