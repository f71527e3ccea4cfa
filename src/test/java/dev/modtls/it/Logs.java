package dev.modtls.it;

import java.io.IOException;
import java.util.List;

/** Waits (bounded) for TLSLog lines: the server writes them on its own threads, right around its replies. */
final class Logs {

    private Logs() {
    }

    /** Waits up to 5 s for a TLSLog message that starts with {@code prefix}; fails with the log so far. */
    static String await(TestServer server, String prefix) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> messages;
        do {
            messages = server.tlsLogMessages();
            for (String m : messages) {
                if (m.startsWith(prefix)) {
                    return m;
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no TLSLog line starting with '" + prefix + "' in:\n" + String.join("\n", messages));
    }
}
