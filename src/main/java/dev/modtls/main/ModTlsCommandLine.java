package dev.modtls.main;

import java.nio.file.Paths;

import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.main.CommandLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts FtpServer from a Spring XML file, as FtpServer's own {@link CommandLine} does (same loading, same choice of
 * the server bean, same {@code FtpServer started} line), with two fixes:
 * <ul>
 * <li>a failure prints one line with the root reason on stderr and exits with status 1 (the stock CLI prints a
 * stack trace and exits 0, so scripts and service managers cannot tell that the server never started);</li>
 * <li>the configuration path is handed to Spring as a {@code file:} URL of its absolute path, because
 * {@code FileSystemXmlApplicationContext} treats {@code /etc/ftpd.xml} as relative to the working directory.
 * A relative path resolves against the working directory, as before.</li>
 * </ul>
 * The stock class's {@code main} is static and its shutdown hook private, so only the loading is inherited.
 */
public class ModTlsCommandLine extends CommandLine {

    static final String PREFIX = "ftpserver-modtls: ";
    private static final Logger LOG = LoggerFactory.getLogger(ModTlsCommandLine.class);

    protected ModTlsCommandLine() {
    }

    public static void main(String[] args) {
        int status = new ModTlsCommandLine().run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Starts the server; returns 0 when it runs (the JVM then lives on the server's threads) or when only help was
     * asked for, 1 when it could not start.
     */
    int run(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-?"))) {
            usage();
            return 0;
        }
        if (args.length > 1) {
            usage();
            return 1;
        }
        String[] loadArgs = args.length == 1 && !args[0].startsWith("-") ? new String[] {asUrl(args[0])} : args;
        try {
            FtpServer server = getConfiguration(loadArgs);
            if (server == null) {
                System.err.println(PREFIX + "cannot start: " + args[0] + " defines no FtpServer bean");
                return 1;
            }
            server.start();
            // the hook goes in before the readiness line, so that whoever waits for the line can stop us cleanly
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("Stopping server...");
                server.stop();
            }, "ftpserver-modtls-shutdown"));
            System.out.println("FtpServer started");
            return 0;
        } catch (Exception | LinkageError e) {
            LOG.debug("startup failed", e);
            System.err.println(PREFIX + "cannot start: " + StartupFailure.reason(e));
            return 1;
        }
    }

    private static String asUrl(String path) {
        if (path.startsWith("file:") || path.startsWith("classpath:")) {
            return path;
        }
        return Paths.get(path).toAbsolutePath().normalize().toUri().toString();
    }

    @Override
    protected void usage() {
        System.err.println("Usage: ftpd.sh [--default | --help | CONFIGFILE]");
        System.err.println("       java " + ModTlsCommandLine.class.getName() + " [--default | --help | CONFIGFILE]");
        System.err.println("Starts FtpServer with the mod_tls module from a Spring XML configuration file.");
        System.err.println("");
        System.err.println("      CONFIGFILE             the XML configuration (relative to the working directory)");
        System.err.println("      --default              FtpServer's default configuration (port 21, no TLS)");
        System.err.println("      -?, --help             print this message");
        System.err.println("Exits with status 1, and one line on stderr, when the server cannot start.");
    }
}
