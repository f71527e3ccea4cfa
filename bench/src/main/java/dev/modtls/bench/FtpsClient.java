package dev.modtls.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * A lean explicit-FTPS client: AUTH TLS, login, PBSZ 0, PROT P, TYPE I, passive data connections, RETR/STOR/LIST
 * that discard or generate bytes in memory. Data connections are TLS engines keyed by the control connection's
 * host and port, so they resume the control session ({@link TlsChannel} says why that matters); {@link #resumed()}
 * counts how many did.
 */
final class FtpsClient implements Closeable {

    private static final int TIMEOUT_MS = 60_000;
    /** {@code -Dbench.trace=true}: print how long each reply and handshake took (finds Nagle stalls). */
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");
    private static final Pattern PASV = Pattern.compile("(\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)");

    /** A complete FTP reply: its code and its last line. */
    record Reply(int code, String text) {
        boolean ok() {
            return code < 400;
        }
    }

    private final Target target;
    private final SSLContext tls;
    private final String protocol;
    private final ByteBuffer replyBuffer = ByteBuffer.allocate(16 * 1024);
    private ByteChannelLike control;
    private SSLSession controlSession;
    private int dataConnections;
    private int resumed;

    private FtpsClient(Target target, SSLContext tls, String protocol) {
        this.target = target;
        this.tls = tls;
        this.protocol = protocol;
        replyBuffer.flip();
    }

    /**
     * Connects, secures the control connection, logs in and sets PBSZ 0, PROT P and TYPE I. {@code tls} should be a
     * fresh context per session unless the caller wants the control handshake itself resumed.
     */
    static FtpsClient login(Target target, SSLContext tls, String protocol) throws IOException {
        FtpsClient c = new FtpsClient(target, tls, protocol);
        try {
            c.open();
            return c;
        } catch (IOException | RuntimeException e) {
            c.abandon();
            throw e;
        }
    }

    private void open() throws IOException {
        Socket s = socket(target.port());
        control = new PlainChannel(s);
        expect(reply(), 220);
        expect(command("AUTH TLS"), 234);
        TlsChannel secured = new TlsChannel(s, engine());
        long t0 = System.nanoTime();
        secured.handshake();
        trace(t0, "control handshake " + secured.session().getProtocol());
        control = secured;
        controlSession = secured.session();
        Reply user = command("USER " + target.user());
        if (user.code() == 331) {
            expect(command("PASS " + target.password()), 230);
        } else {
            expect(user, 230);
        }
        expect(command("PBSZ 0"), 200);
        expect(command("PROT P"), 200);
        expect(command("TYPE I"), 200);
    }

    /** Downloads {@code name}, discarding the bytes; returns how many arrived. */
    long retr(String name, ByteBuffer buffer) throws IOException {
        long total = 0;
        // our close_notify goes out before the final reply is read: some servers (JSSE sockets) wait for it
        try (TlsChannel data = openData("RETR " + name)) {
            while (true) {
                buffer.clear();
                int n = data.read(buffer);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        }
        finishTransfer("RETR " + name);
        return total;
    }

    /** Uploads {@code size} bytes taken repeatedly from {@code pattern} as {@code name}. */
    void stor(String name, long size, ByteBuffer pattern) throws IOException {
        TlsChannel data = openData("STOR " + name);
        try {
            long left = size;
            while (left > 0) {
                ByteBuffer chunk = pattern.duplicate();
                chunk.clear();
                chunk.limit((int) Math.min(chunk.capacity(), left));
                left -= chunk.remaining();
                data.write(chunk);
            }
        } catch (IOException e) {
            data.close();
            throw e;
        }
        data.finishUpload(); // close_notify: the server must see the end of the upload as clean
        finishTransfer("STOR " + name);
    }

    /** Lists the working directory; returns the listing's size in bytes. */
    long list() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        try (TlsChannel data = openData("LIST")) {
            int n;
            while ((n = data.read(buffer)) >= 0) {
                total += n;
                buffer.clear();
            }
        }
        finishTransfer("LIST");
        return total;
    }

    /** Deletes {@code name}; true if the server said so. */
    boolean delete(String name) throws IOException {
        return command("DELE " + name).ok();
    }

    void quit() throws IOException {
        try {
            command("QUIT");
        } finally {
            abandon();
        }
    }

    /** The control connection's TLS session (protocol, cipher suite). */
    SSLSession controlSession() {
        return controlSession;
    }

    /** Data connections opened so far. */
    int dataConnections() {
        return dataConnections;
    }

    /** Data connections whose TLS handshake resumed the control connection's session. */
    int resumed() {
        return resumed;
    }

    @Override
    public void close() {
        abandon();
    }

    private void abandon() {
        if (control != null) {
            try {
                control.close();
            } catch (IOException ignored) {
                // nothing to save
            }
        }
    }

    /** PASV, TCP connect, the transfer command, then the data handshake (the order every server accepts). */
    private TlsChannel openData(String transferCommand) throws IOException {
        Reply pasv = expect(command("PASV"), 227);
        Matcher m = PASV.matcher(pasv.text());
        if (!m.find()) {
            throw new IOException("cannot parse " + pasv.text());
        }
        int port = Integer.parseInt(m.group(5)) * 256 + Integer.parseInt(m.group(6));
        // like curl, connect to the control host rather than the address in the reply (NAT-safe)
        Socket s = socket(port);
        send(transferCommand);
        TlsChannel data = new TlsChannel(s, engine());
        try {
            long t0 = System.nanoTime();
            data.handshake();
            trace(t0, "data handshake " + data.session().getProtocol());
        } catch (IOException e) {
            data.close();
            Reply r = reply();
            throw new IOException(transferCommand + ": data handshake failed (" + e.getMessage() + "); server said "
                    + r.code() + " " + r.text(), e);
        }
        dataConnections++;
        if (resumedControl(data.session())) {
            resumed++;
        } else if (TRACE) {
            System.out.println("  data connection did not resume the control session: " + transferCommand);
        }
        return data;
    }

    private void finishTransfer(String what) throws IOException {
        Reply first = reply();
        if (first.code() == 125 || first.code() == 150) {
            first = reply();
        }
        if (first.code() != 226 && first.code() != 250) {
            throw new IOException(what + ": " + first.code() + " " + first.text());
        }
    }

    /**
     * Whether the client's data session is the control session resumed: same session ID for TLS 1.2; for TLS 1.3
     * (new ID per ticket) the JDK carries the original creation time into every resumed session.
     */
    private boolean resumedControl(SSLSession data) {
        if ("TLSv1.3".equals(data.getProtocol())) {
            return data.getCreationTime() == controlSession.getCreationTime();
        }
        byte[] id = data.getId();
        return id.length > 0 && Arrays.equals(id, controlSession.getId());
    }

    private SSLEngine engine() {
        SSLEngine e = tls.createSSLEngine(target.host(), target.port());
        e.setUseClientMode(true);
        if (protocol != null) {
            e.setEnabledProtocols(new String[] {protocol});
        }
        return e;
    }

    private Socket socket(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(TIMEOUT_MS);
        s.connect(new InetSocketAddress(target.host(), port), TIMEOUT_MS);
        return s;
    }

    private Reply command(String line) throws IOException {
        send(line);
        return reply();
    }

    private void send(String line) throws IOException {
        control.write(ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.UTF_8)));
    }

    private static Reply expect(Reply r, int code) throws IOException {
        if (r.code() != code) {
            throw new IOException("expected " + code + ", got " + r.code() + " " + r.text());
        }
        return r;
    }

    private Reply reply() throws IOException {
        long t0 = System.nanoTime();
        String first = line();
        trace(t0, first);
        if (first.length() < 3) {
            throw new IOException("bad reply line: " + first);
        }
        int code = Integer.parseInt(first.substring(0, 3));
        String last = first;
        if (first.length() > 3 && first.charAt(3) == '-') {
            String end = first.substring(0, 3) + " ";
            do {
                last = line();
            } while (!last.startsWith(end));
        }
        return new Reply(code, last);
    }

    private static void trace(long startNanos, String what) {
        if (TRACE) {
            System.out.printf("  %7.1f ms  %s%n", (System.nanoTime() - startNanos) / 1e6, what);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            while (replyBuffer.hasRemaining()) {
                char c = (char) (replyBuffer.get() & 0xff);
                if (c == '\n') {
                    int len = sb.length();
                    if (len > 0 && sb.charAt(len - 1) == '\r') {
                        sb.setLength(len - 1);
                    }
                    return sb.toString();
                }
                sb.append(c);
            }
            replyBuffer.clear();
            int n = control.read(replyBuffer);
            replyBuffer.flip();
            if (n < 0) {
                throw new IOException("control connection closed" + (sb.length() > 0 ? " after: " + sb : ""));
            }
        }
    }
}
