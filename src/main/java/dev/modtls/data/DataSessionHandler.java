package dev.modtls.data;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;

/** Routes a data session's I/O events to its {@link DataChannel}; runs on MINA's I/O threads and never blocks. */
class DataSessionHandler extends IoHandlerAdapter {

    @Override
    public void messageReceived(IoSession session, Object message) {
        DataChannel channel = DataChannel.of(session);
        if (channel != null && message instanceof IoBuffer) {
            channel.onMessage((IoBuffer) message);
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        DataChannel channel = DataChannel.of(session);
        if (channel != null) {
            channel.onClosed();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        DataChannel channel = DataChannel.of(session);
        if (channel != null) {
            channel.onException(cause);
        }
        session.closeNow();
    }
}
