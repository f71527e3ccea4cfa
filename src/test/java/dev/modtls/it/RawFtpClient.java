package dev.modtls.it;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A deliberately dumb FTP control-connection client for tests: it sends exactly the bytes it is told to and reads
 * replies line by line, so tests can assert reply codes and texts byte for byte, pipeline commands, or switch to TLS
 * by hand (a JSSE socket layered on the same TCP connection, as an FTPS client does after 234).
 */
public final class RawFtpClient implements Closeable {

    /** One reply: its code and its lines (the last line carries the final text). */
    public static final class Reply {
        public final int code;
        public final String text;
        public final java.util.List<String> lines;

        Reply(int code, String text, java.util.List<String> lines) {
            this.code = code;
            this.text = text;
            this.lines = lines;
        }

        /** {@code "<code> <text>"} of the last line, e.g. {@code "234 AUTH TLS successful"}. */
        public String line() {
            return code + " " + text;
        }

        @Override
        public String toString() {
            return String.join("\n", lines);
        }
    }

    private final Socket plain;
    private Socket current;
    private BufferedReader in;
    private OutputStream out;

    public RawFtpClient(String host, int port) throws IOException {
        plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), 5000);
        plain.setSoTimeout(10000);
        use(plain);
    }

    private void use(Socket socket) throws IOException {
        current = socket;
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** Reads one (possibly multi-line) reply. Returns null at end of stream. */
    public Reply read() throws IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        String first = in.readLine();
        if (first == null) {
            return null;
        }
        lines.add(first);
        if (first.length() < 4) {
            throw new IOException("malformed reply line: '" + first + "'");
        }
        String last = first;
        if (first.charAt(3) == '-') {
            String end = first.substring(0, 3) + " ";
            do {
                last = in.readLine();
                if (last == null) {
                    throw new IOException("end of stream inside a multi-line reply: " + lines);
                }
                lines.add(last);
            } while (!last.startsWith(end));
        }
        return new Reply(Integer.parseInt(last.substring(0, 3)), last.substring(4), lines);
    }

    public void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends a command and reads its reply. */
    public Reply cmd(String line) throws IOException {
        send(line);
        return read();
    }

    /** Layers a TLS client socket over the connection (after a 234), trusting any certificate. */
    public SSLSocket startTls(String... protocols) throws IOException {
        return startTls(trustAll(), protocols);
    }

    public SSLSocket startTls(SSLContext context, String... protocols) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(current,
                plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        tls.setUseClientMode(true);
        if (protocols.length > 0) {
            tls.setEnabledProtocols(protocols);
        }
        tls.setSoTimeout(10000);
        tls.startHandshake();
        use(tls);
        return tls;
    }

    /** The underlying TCP socket (for reading clear text after a failed handshake). */
    public Socket tcp() {
        return plain;
    }

    /** Switches back to reading and writing the TCP socket directly. */
    public void useClear() throws IOException {
        use(plain);
    }

    @Override
    public void close() throws IOException {
        try {
            current.close();
        } finally {
            plain.close();
        }
    }

    /** A client context that trusts every server certificate (tests only). */
    public static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
