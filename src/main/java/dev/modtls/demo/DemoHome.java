package dev.modtls.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Prepares the demo user's home directory on the first start of {@code etc/ftpd-demo.xml}: creates it and puts a
 * {@code welcome.txt} in it, so that the first {@code LIST} and {@code RETR} over FTPS have something to show.
 * Existing files are left alone.
 */
public class DemoHome implements InitializingBean {

    static final String WELCOME = "Welcome to ftpserver-modtls.\n"
            + "This file came over a TLS-protected data connection that reused the control connection's TLS session.\n";

    private static final Logger LOG = LoggerFactory.getLogger(DemoHome.class);

    private Path home;

    /** The home directory (relative paths resolve against the working directory). */
    public void setHome(String home) {
        this.home = Paths.get(home);
    }

    @Override
    public void afterPropertiesSet() {
        if (home == null) {
            throw new IllegalStateException("DemoHome needs the property 'home'");
        }
        try {
            Files.createDirectories(home);
            Path welcome = home.resolve("welcome.txt");
            if (!Files.exists(welcome)) {
                Files.writeString(welcome, WELCOME, StandardCharsets.UTF_8);
                LOG.info("created {}", welcome.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the demo home " + home.toAbsolutePath(), e);
        }
    }
}
