# Sourced by the bench scripts from the repository root: JAR, JAVA and JVM_ARGS, and bench/target/benchmarks.jar
# built first if it is missing or older than any source or pom it is made from (REBUILD=1 builds it anyway).

JAR=bench/target/benchmarks.jar
JAVA=${JAVA:-java}
# Benchmarks measure the code, not Netty's leak tracking; tests keep it at paranoid.
JVM_ARGS=(-Dio.netty.leakDetection.level=disabled)

needs_build() {
  [[ ${REBUILD:-0} == 1 || ! -f $JAR ]] && return 0
  [[ -n $(find pom.xml capsule tls acip-egress http-ingress gateway bench -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' \) -newer "$JAR" -print -quit 2>/dev/null) ]]
}

if needs_build; then
  echo "building $JAR ..." >&2
  ./mvnw -B -q -pl bench -am package -DskipTests
fi
