package dev.modtls.data;

import java.io.IOException;
import java.io.InputStream;

/** A blocking InputStream over a {@link DataChannel}; closing it does not close the connection (the factory does). */
final class ChannelInputStream extends InputStream {

    private final DataChannel channel;
    private final byte[] one = new byte[1];

    ChannelInputStream(DataChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return channel.read(b, off, len);
    }
}
