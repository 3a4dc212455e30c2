# Sourced by the compare-*.sh scripts: a scratch folder removed on exit, the benchmark jar built,
# and the java command and class path to run it with ($root is the repository).
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "== building" >&2
(cd "$root" && mvn -q -B -DskipTests -pl benchmarks -am package)
cp="$root/benchmarks/target/kmerl-benchmarks-0.1.0-SNAPSHOT.jar:$root/benchmarks/target/lib/*"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
