#!/usr/bin/env bash
# FTPS benchmark: ours (ftpserver-modtls) against stock Apache FtpServer 1.2.1, or against any FTPS server.
# Usage: bench/run.sh [--quick] [--target [name=]host:port:user:password]... [--tls TLSv1.2|TLSv1.3]
#                     [--runs N] [--size-mib N] [--sessions N] [--no-session-reuse-required]
# Environment: BENCH_SERVER_JVM_FLAGS (default "-Xmx1g"), the flags of every server JVM (ours, stock, TLS sink);
#              BENCH_CLIENT_JVM_FLAGS (default "-Xmx1g"), the client's.
# See bench/README.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="$here/work"
mkdir -p "$work"
: >"$work/build.log"

# offline first (this machine has everything in ~/.m2), online if something is missing; output in work/build.log
mvn_() {
  mvn -B -Dstyle.color=never -o "$@" >>"$work/build.log" 2>&1 || mvn -B -Dstyle.color=never "$@" >>"$work/build.log" 2>&1 || {
    echo "build failed; see $work/build.log" >&2; tail -30 "$work/build.log" >&2; exit 1; }
}

echo "building ftpserver-modtls (compile) and its runtime classpath ..."
(cd "$root" && mvn_ compile)
(cd "$root" && mvn_ org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
    -DincludeScope=runtime -Dmdep.outputFile="$work/classpath.txt")
echo "building the benchmark ..."
(cd "$here" && mvn_ package)

classpath="$root/target/classes:$(cat "$work/classpath.txt"):$here/target/classes"
rm -rf "$work/run"
# shellcheck disable=SC2086
exec java ${BENCH_CLIENT_JVM_FLAGS:--Xmx1g} -cp "$here/target/classes" dev.modtls.bench.Bench \
    --classpath "$classpath" --work "$work/run" --results "$here/results" \
    --server-jvm-flags "${BENCH_SERVER_JVM_FLAGS:--Xmx1g}" "$@"
