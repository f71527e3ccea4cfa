package dev.modtls.pki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.modtls.config.ConfigException;

/**
 * TLSPassPhraseProvider: runs the configured program once per encrypted file with mod_tls's two arguments,
 * {@code "<ServerName>:<Port>"} and the key kind ({@code RSA}, {@code EC} or {@code PKCS12}), and takes its standard
 * output, without the trailing line break, as the pass phrase. The program gets 10 seconds. Answers are kept for the
 * life of this object, so a configuration reload can reuse them as mod_tls keeps pass phrases across restarts.
 */
public final class ProviderPassPhraseSource implements PassPhraseSource {

    private static final String DIRECTIVE = "TLSPassPhraseProvider";
    private static final long TIMEOUT_SECONDS = 10;

    private final Path program;
    private final String serverNameAndPort;
    private final Map<String, char[]> cache = new ConcurrentHashMap<>();

    /**
     * @param program           an absolute path to a regular file
     * @param serverNameAndPort e.g. {@code "ftp.example.org:21"}
     */
    public ProviderPassPhraseSource(Path program, String serverNameAndPort) {
        if (!program.isAbsolute()) {
            throw new ConfigException(DIRECTIVE, "'" + program + "' is not an absolute path");
        }
        if (!Files.isRegularFile(program)) {
            throw new ConfigException(DIRECTIVE, "'" + program + "' does not exist or is not a regular file");
        }
        this.program = program;
        this.serverNameAndPort = serverNameAndPort;
    }

    @Override
    public char[] passPhrase(String kind, Path file) {
        char[] pw = cache.computeIfAbsent(kind + "\u0000" + file.toAbsolutePath(), k -> run(kind, file));
        return pw.clone();
    }

    private char[] run(String kind, Path file) {
        Process p;
        try {
            p = new ProcessBuilder(List.of(program.toString(), serverNameAndPort, kind))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            p.getOutputStream().close();
        } catch (IOException e) {
            throw new ConfigException(DIRECTIVE, "unable to run '" + program + "' for '" + file + "': "
                    + e.getMessage(), e);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> copy(p.getInputStream(), out), "TLSPassPhraseProvider-reader");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ConfigException(DIRECTIVE, "'" + program + "' did not answer within " + TIMEOUT_SECONDS
                        + " seconds for '" + file + "'");
            }
            reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            if (p.exitValue() != 0) {
                throw new ConfigException(DIRECTIVE, "'" + program + "' exited with status " + p.exitValue()
                        + " for '" + file + "'");
            }
            String text;
            synchronized (out) {
                text = out.toString(StandardCharsets.UTF_8);
            }
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            return text.toCharArray();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ConfigException(DIRECTIVE, "interrupted while waiting for '" + program + "'", e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[256];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process ended; what was read is the answer
        }
    }
}
