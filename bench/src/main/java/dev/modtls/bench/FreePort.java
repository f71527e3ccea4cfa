package dev.modtls.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A free port on 127.0.0.1 for a server whose configuration must name its port (the Spring XML of ours). Another
 * process could take it between here and the server's bind; the server then fails to start and says so.
 */
final class FreePort {

    private FreePort() {
    }

    static int find() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
