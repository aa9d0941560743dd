#!/bin/sh
# SAST: PMD 7 over the app's sources, written as SARIF 2.1.0 to pmd.sarif. PMD comes from Maven
# Central through Maven's local repository. PMD exits 4 when it finds something: the gate decides.
set -e
mvn -q -B -f scan/pmd-runner.xml dependency:build-classpath -Dmdep.outputFile="$PWD/pmd.classpath"
status=0
java -cp "$(cat pmd.classpath)" net.sourceforge.pmd.cli.PmdCli check --no-progress \
  -d src -R rulesets/java/quickstart.xml -f sarif -r pmd.sarif || status=$?
[ "$status" -eq 0 ] || [ "$status" -eq 4 ]
