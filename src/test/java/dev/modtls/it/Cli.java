package dev.modtls.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Assume;

/**
 * Runs a command-line client (curl, openssl, lftp, python3) with a time limit and collects its exit code and output.
 * A test that needs a client which is not installed fails in CI (where .ci/run installs them) and is skipped
 * elsewhere, with the reason.
 */
public final class Cli {

    /** The outcome of one run. */
    public static final class Result {
        public final int exitCode;
        public final String stdout;
        public final String stderr;

        Result(int exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private Cli() {
    }

    /** Skips the calling test (or fails it under CI=true) when {@code tool} is not on the PATH. */
    public static void require(String tool) {
        boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> new java.io.File(dir, tool).canExecute());
        if (!found && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(tool + " is not installed; .ci/run must install it");
        }
        Assume.assumeTrue(tool + " is not installed", found);
    }

    /**
     * Writes the tests' Python FTPS client ({@code src/test/resources/clients/ftps_client.py}) into {@code dir}
     * and returns its path; skips (or, under CI, fails) the test when python3 is missing.
     */
    public static java.nio.file.Path pythonClient(java.nio.file.Path dir) throws IOException {
        require("python3");
        java.nio.file.Path script = dir.resolve("ftps_client.py");
        try (InputStream in = Cli.class.getResourceAsStream("/clients/ftps_client.py")) {
            java.nio.file.Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }

    public static Result run(List<String> command, String stdin, long timeoutSeconds) throws IOException,
            InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = pump(p.getInputStream(), out);
        Thread e = pump(p.getErrorStream(), err);
        try (var w = p.getOutputStream()) {
            if (stdin != null) {
                w.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the process may exit before reading its input
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            o.join(2000);
            e.join(2000);
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command + "\n"
                    + new Result(-1, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)));
        }
        o.join(5000);
        e.join(5000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(to);
            } catch (IOException ignored) {
                // process ended
            }
        }, "cli-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
