package dev.modtls.transport;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.DefaultWriteFuture;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;

/**
 * One piece of ciphertext (one or more TLS records) that {@link TlsConnection} hands to the filters below it.
 * <p>
 * It reports itself as encoded, so MINA completes its future but never passes its messageSent event up the chain:
 * upper filters and the handler only ever see the plaintext request it came from. The completion of the piece is
 * observed through its own future instead ({@link PieceFuture}); the piece that carries the last bytes of a plaintext
 * request then completes that request. This keeps working even after the TLS filter has been removed from the chain.
 */
final class TlsRecordWriteRequest extends DefaultWriteRequest {

    private final WriteRequest original;

    TlsRecordWriteRequest(IoBuffer ciphertext, PieceFuture future, WriteRequest original) {
        super(ciphertext, future);
        this.original = original;
    }

    @Override
    public boolean isEncoded() {
        return true;
    }

    @Override
    public WriteRequest getOriginalRequest() {
        return original != null ? original : this;
    }

    /** The future of one piece: tells the connection when the piece was written or failed. */
    static final class PieceFuture extends DefaultWriteFuture {
        private final TlsConnection connection;
        private final WriteRequest original;
        private final boolean closeMarker;
        private final AtomicBoolean reported = new AtomicBoolean();

        PieceFuture(IoSession session, TlsConnection connection, WriteRequest original, boolean closeMarker) {
            super(session);
            this.connection = connection;
            this.original = original;
            this.closeMarker = closeMarker;
        }

        @Override
        public void setWritten() {
            super.setWritten();
            if (reported.compareAndSet(false, true)) {
                connection.pieceWritten(original, closeMarker);
            }
        }

        @Override
        public void setException(Throwable cause) {
            super.setException(cause);
            if (reported.compareAndSet(false, true)) {
                connection.pieceFailed(original, closeMarker, cause);
            }
        }
    }
}
