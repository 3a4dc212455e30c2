#!/usr/bin/env bash
# Builds what the GPU machine needs (it has no Java and no Maven) into .gpu/ (git-ignored):
# a jlinked Java runtime, the module jars, the kernels' test classes, JCuda/JCublas with their Linux
# natives and the JUnit console launcher. Run from the repository root; then device-check.sh runs there.
set -euo pipefail
mvn -q -o package -DskipTests -pl tensor,autograd,kernels,kmerl-model,kmerl-cli,benchmarks
rm -rf .gpu/lib && mkdir -p .gpu/lib
[[ -x .gpu/jre/bin/java ]] || JDK=/usr/lib/jvm/java-17-openjdk-amd64 ../shared/gpu/pack-jre.sh .gpu/jre
cp tensor/target/kmerl-tensor-*-SNAPSHOT.jar tensor/target/kmerl-tensor-*-tests.jar kernels/target/kmerl-kernels-*.jar \
   autograd/target/kmerl-autograd-*-SNAPSHOT.jar benchmarks/target/kmerl-benchmarks-*.jar \
   kmerl-model/target/kmerl-model-*-SNAPSHOT.jar kmerl-cli/target/kmerl-cli.jar .gpu/lib/
(cd kernels/target/test-classes && jar cf ../../../.gpu/lib/kmerl-kernels-parity-tests.jar .)
# The command-line tool's libraries (picocli resolves every subcommand's types), newest version of each,
# without the 83 MB embedded text model: the bundle must stay under the 64 MiB a device call carries.
python3 - <<'PY'
import re, shutil
from pathlib import Path
newest = {}
for jar in Path("kmerl-cli/target/lib").glob("*.jar"):
    m = re.match(r"(.+?)-(\d[\w.-]*)\.jar$", jar.name)
    name, version = (m.group(1), m.group(2)) if m else (jar.stem, "")
    key = tuple(int(x) if x.isdigit() else 0 for x in re.split(r"[.-]", version))
    if name.startswith(("langchain4j", "kmerl-", "jcuda", "jcublas", "picocli")):
        continue
    if name not in newest or key > newest[name][0]:
        newest[name] = (key, jar)
for _, jar in newest.values():
    shutil.copy(jar, ".gpu/lib/")
PY
m2=~/.m2/repository
cp $m2/org/jcuda/jcuda/12.6.0/jcuda-12.6.0.jar $m2/org/jcuda/jcuda-natives/12.6.0/jcuda-natives-12.6.0-linux-x86_64.jar \
   $m2/org/jcuda/jcublas/12.6.0/jcublas-12.6.0.jar $m2/org/jcuda/jcublas-natives/12.6.0/jcublas-natives-12.6.0-linux-x86_64.jar \
   $m2/org/jcuda/jcudnn/11.7.0/jcudnn-11.7.0.jar $m2/org/jcuda/jcudnn-natives/11.7.0/jcudnn-natives-11.7.0-linux-x86_64.jar \
   $m2/org/junit/platform/junit-platform-console-standalone/1.14.1/junit-platform-console-standalone-1.14.1.jar \
   $m2/info/picocli/picocli/4.7.7/picocli-4.7.7.jar .gpu/lib/
du -sh .gpu
