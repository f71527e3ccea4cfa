package dev.modtls.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external client (python3, openssl) with a bounded wait. */
final class Processes {

    /** Exit code and everything the process printed (stdout and stderr merged). */
    static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }

        @Override
        public String toString() {
            return "exit " + exit + ":\n" + output;
        }
    }

    private Processes() {
    }

    static Result run(List<String> command, String stdin, long timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), out));
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(2000);
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s; output:\n" + out);
        }
        reader.join(2000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    static Result python(Path dir, String script, String... args) throws Exception {
        Path file = Files.createTempFile(dir, "client", ".py");
        Files.writeString(file, script);
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", file.toString()));
        cmd.addAll(List.of(args));
        return run(cmd, null, 30);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[4096];
        int n;
        try {
            while ((n = in.read(buf)) != -1) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // process gone
        }
    }
}
