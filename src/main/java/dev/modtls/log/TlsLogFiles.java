package dev.modtls.log;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * The TLSLog files of this JVM: one Log4j file appender and one non-additive logger per file, shared by every
 * listener that names the same file and released when the last one closes it.
 *
 * <p>They live in a private Log4j {@link LoggerContext}, not in the user's {@code log4j2.xml}: the TLSLog is a
 * setting of the FTP server (mod_tls's {@code TLSLog}), its layout is fixed, and a reconfiguration of the ordinary
 * logging (file monitoring, {@code Configurator.reconfigure}) must not drop or redirect it. The context has no
 * shutdown hook of its own, so lines written while the server stops are not lost; {@link #release} stops each
 * appender.
 */
final class TlsLogFiles {

    /** The timestamp and the message; the message carries {@code <module>/<version>[<id>]: ...}. LF, as mod_tls. */
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss,SSS} %m\n";

    private static final LoggerContext CONTEXT = newContext();
    private static final Map<Path, Shared> OPEN = new HashMap<>();
    private static int counter;

    private TlsLogFiles() {
    }

    /** A logger writing to {@code file} (already checked), shared with other holders of the same file. */
    static synchronized Logger acquire(Path file) {
        Shared s = OPEN.get(file);
        if (s == null) {
            s = create(file);
            OPEN.put(file, s);
        }
        s.holders++;
        return s.logger;
    }

    /** Gives back one {@link #acquire}; the file is closed when nobody holds it any more. */
    static synchronized void release(Path file) {
        Shared s = OPEN.get(file);
        if (s == null || --s.holders > 0) {
            return;
        }
        OPEN.remove(file);
        Configuration config = CONTEXT.getConfiguration();
        config.removeLogger(s.loggerName);
        CONTEXT.updateLoggers();
        s.appender.stop();
        config.getAppenders().remove(s.appender.getName());
    }

    /** How many files are open (for tests). */
    static synchronized int openFiles() {
        return OPEN.size();
    }

    private static Shared create(Path file) {
        Configuration config = CONTEXT.getConfiguration();
        String name = "dev.modtls.tlslog." + (++counter);
        PatternLayout layout = PatternLayout.newBuilder().withPattern(PATTERN).withCharset(StandardCharsets.UTF_8)
                .withConfiguration(config).build();
        FileAppender appender = FileAppender.newBuilder().setName(name).withFileName(file.toString())
                .withAppend(true).withLocking(false).setImmediateFlush(true).setLayout(layout)
                .setConfiguration(config).build();
        if (appender == null) {
            throw new dev.modtls.config.ConfigException(TlsLogFileCheck.DIRECTIVE,
                    "unable to open TLSLog: cannot write " + file);
        }
        appender.start();
        config.addAppender(appender);
        LoggerConfig loggerConfig = LoggerConfig.newBuilder().withLoggerName(name).withLevel(Level.INFO)
                .withAdditivity(false).withConfig(config).build();
        loggerConfig.addAppender(appender, null, null);
        config.addLogger(name, loggerConfig);
        CONTEXT.updateLoggers();
        return new Shared(name, appender, CONTEXT.getLogger(name));
    }

    private static LoggerContext newContext() {
        ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
        b.setConfigurationName("ftpserver-modtls TLSLog");
        b.setShutdownHook("disable");
        b.add(b.newRootLogger(Level.OFF));
        LoggerContext ctx = new LoggerContext("ftpserver-modtls-tlslog");
        ctx.start(b.build(false));
        return ctx;
    }

    private static final class Shared {
        final String loggerName;
        final FileAppender appender;
        final Logger logger;
        int holders;

        Shared(String loggerName, FileAppender appender, Logger logger) {
            this.loggerName = loggerName;
            this.appender = appender;
            this.logger = logger;
        }
    }
}
