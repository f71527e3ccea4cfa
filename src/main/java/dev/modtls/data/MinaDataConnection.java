package dev.modtls.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.DataType;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.impl.DefaultFtpSession;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.usermanager.impl.TransferRateRequest;

/**
 * FtpServer's transfer semantics on a MINA data connection: TYPE A conversion ({@link AsciiConverter}), MODE Z
 * (Deflater/Inflater streams), the user's TransferRateRequest limits, the data byte statistics of
 * {@link DefaultFtpSession} and the control session's last-access time. REST offsets are applied by the stock
 * commands before they call us. Runs in the FtpServer command thread; every wait is bounded by the data idle time.
 *
 * <p>FtpServer's {@code IODataConnection} cannot be reused: it needs a {@code java.net.Socket}.
 */
final class MinaDataConnection implements DataConnection {

    private static final int BUFFER = 128 * 1024;

    private final DataChannel channel;
    private final FtpIoSession control;
    private final MinaDataConnectionFactory factory;
    private final boolean zip;

    MinaDataConnection(DataChannel channel, FtpIoSession control, MinaDataConnectionFactory factory, boolean zip) {
        this.channel = channel;
        this.control = control;
        this.factory = factory;
        this.zip = zip;
    }

    @Override
    public long transferFromClient(FtpSession session, OutputStream out) throws IOException {
        int maxRate = rate(session, false);
        InflaterInputStream inflater = null;
        try {
            InputStream in = new ChannelInputStream(channel);
            if (zip) {
                inflater = new InflaterInputStream(in);
                in = inflater;
            }
            return copy(session, false, in, out, maxRate);
        } finally {
            if (inflater != null) {
                inflater.close(); // frees zlib's native memory now; the channel itself is closed below
            }
            factory.endTransfer();
        }
    }

    @Override
    public long transferToClient(FtpSession session, InputStream in) throws IOException {
        int maxRate = rate(session, true);
        try (OutputStream out = outputStream()) {
            return copy(session, true, in, out, maxRate);
        } finally {
            factory.endTransfer();
        }
    }

    @Override
    public void transferToClient(FtpSession session, String str) throws IOException {
        byte[] bytes = str.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = outputStream()) {
            out.write(bytes);
            if (session instanceof DefaultFtpSession) {
                ((DefaultFtpSession) session).increaseWrittenDataBytes(bytes.length);
            }
        } finally {
            factory.endTransfer();
        }
    }

    private OutputStream outputStream() {
        OutputStream out = new ChannelOutputStream(channel);
        return zip ? new DeflaterOutputStream(out) : out;
    }

    private static int rate(FtpSession session, boolean download) {
        User user = session.getUser();
        if (user == null) {
            return 0;
        }
        TransferRateRequest request = (TransferRateRequest) user.authorize(new TransferRateRequest());
        if (request == null) {
            return 0;
        }
        return download ? request.getMaxDownloadRate() : request.getMaxUploadRate();
    }

    private long copy(FtpSession session, boolean toClient, InputStream in, OutputStream out, int maxRate)
        throws IOException {
        AsciiConverter ascii = session.getDataType() == DataType.ASCII
            ? (toClient ? AsciiConverter.toClient() : AsciiConverter.fromClient()) : null;
        DefaultFtpSession stats = session instanceof DefaultFtpSession ? (DefaultFtpSession) session : null;
        RateLimiter limiter = new RateLimiter(maxRate);
        ByteArrayOutputStream converted = ascii == null ? null : new ByteArrayOutputStream(2 * BUFFER);
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        try {
            while (true) {
                limiter.pace(total);
                int count = in.read(buffer);
                if (count == -1) {
                    break;
                }
                if (count == 0) {
                    continue;
                }
                if (stats != null) {
                    if (toClient) {
                        stats.increaseWrittenDataBytes(count);
                    } else {
                        stats.increaseReadDataBytes(count);
                    }
                }
                if (ascii == null) {
                    out.write(buffer, 0, count);
                } else {
                    converted.reset();
                    ascii.convert(buffer, 0, count, converted);
                    converted.writeTo(out);
                }
                total += count;
                control.updateLastAccessTime();
            }
            out.flush();
            return total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            factory.abortTransfer();
            throw new InterruptedIOException("transfer interrupted");
        } catch (IOException | RuntimeException e) {
            factory.abortTransfer();
            throw e;
        }
    }
}
