package dev.modtls.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in its own JVM (same {@code java}, same flags for every server), its output in a log file. Started when
 * its readiness line appears; its peak resident set size comes from {@code /proc/<pid>/status}.
 */
final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final String readyLine;

    private ServerProcess(String name, Process process, Path log, String readyLine) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.readyLine = readyLine;
    }

    /** Starts {@code mainClass} with {@code args} and waits (at most 120 s) for a line starting with {@code ready}. */
    static ServerProcess start(String name, String classpath, List<String> jvmFlags, String mainClass,
            List<String> args, Path workDir, String ready) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        Path log = workDir.resolve(name + ".out");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ServerProcess sp = new ServerProcess(name, p, log, ready);
        sp.awaitReady();
        return sp;
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (readyLineSeen() != null) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + "; see " + log + ":\n" + tail());
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IOException(name + " did not start within 120 s; see " + log);
    }

    /** The readiness line, or null if it has not appeared yet. */
    String readyLineSeen() throws IOException {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith(readyLine)) {
                return line;
            }
        }
        return null;
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    /** Peak resident set size (VmHWM) in KiB, or -1 where /proc cannot tell. */
    long peakRssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
