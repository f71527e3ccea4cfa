#!/bin/sh
# Starts Apache FtpServer with the ftpserver-modtls module.
#
#   bin/ftpd.sh CONFIGFILE        e.g. bin/ftpd.sh etc/ftpd-demo.xml
#   bin/ftpd.sh --help
#
# Unlike FtpServer's own ftpd.sh, this script does not change directory: the configuration file, and the relative
# paths inside it (certificates, users, logs, homes), resolve against the directory you start it from.
# The exit status is 1, with one line on stderr, when the server cannot start.
#
# Environment:
#   JAVA_HOME    the JDK or JRE to use (else "java" from PATH); Java 17 or newer
#   JAVA_OPTS    extra JVM options, e.g. "-Xmx256m -Djdk.tls.namedGroups=x25519,secp256r1"
#   FTPD_LOG4J   Log4j 2 configuration for the ordinary logs (default: $FTPD_HOME/etc/log4j2.xml)

# FTPD_HOME: the directory above this script's, following symbolic links to the script.
prg=$0
while [ -h "$prg" ]; do
  link=$(ls -ld "$prg" | sed 's/.*-> //')
  case $link in
    /*) prg=$link ;;
    *) prg=$(dirname "$prg")/$link ;;
  esac
done
FTPD_HOME=$(cd "$(dirname "$prg")/.." && pwd -P) || exit 1

if [ -n "$JAVA_HOME" ]; then
  JAVA=$JAVA_HOME/bin/java
else
  JAVA=java
fi
if ! command -v "$JAVA" >/dev/null 2>&1; then
  echo "ftpserver-modtls: cannot start: no java found (set JAVA_HOME or put java on the PATH)" >&2
  exit 1
fi

FTPD_LOG4J=${FTPD_LOG4J:-$FTPD_HOME/etc/log4j2.xml}

# JAVA_OPTS is split into words on purpose; it comes after our defaults, so that its -D options win.
# shellcheck disable=SC2086
exec "$JAVA" "-Dlog4j2.configurationFile=$FTPD_LOG4J" $JAVA_OPTS \
  -cp "$FTPD_HOME/common/lib/*" dev.modtls.main.ModTlsCommandLine "$@"
