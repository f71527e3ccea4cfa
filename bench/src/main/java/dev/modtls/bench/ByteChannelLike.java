package dev.modtls.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** What the FTP client needs of a connection, plain (before AUTH TLS) or TLS. */
interface ByteChannelLike extends Closeable {

    /** Reads into {@code dst}; -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes all of {@code src}. */
    void write(ByteBuffer src) throws IOException;
}
