package dev.modtls.data;

import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.mina.core.filterchain.IoFilterAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.DefaultWriteRequest;
import org.apache.mina.core.write.WriteRequest;

/**
 * Gives a data connection refused by TLS (handshake failure, timeout, session-reuse guard, certificate mismatch)
 * mod_tls's reply, {@code 425 Unable to build data connection: Operation not permitted}, instead of the stock
 * transfer command's {@code 425 Can't open data connection.}.
 *
 * <p>Why a reply filter: the stock APPE/LIST/MLSD/NLST/RETR/STOR/STOU write their own 425 text when
 * {@code openConnection()} throws, and a message-bundle override would change that text for every failure (a client
 * that simply never connects is not refused by TLS). So the factory marks the control session when, and only when,
 * TLS refused the connection, and this filter, on the control connection's chain after FtpServer's codec (it sees
 * {@link FtpReply} objects), rewrites the next 425 reply and clears the mark. The factory clears a stale mark when
 * the transfer ends. The factory adds this filter to the control session itself.
 */
final class DataRefusalReplyFilter extends IoFilterAdapter {

    static final String NAME = "modtls-data-refusal-reply";
    static final String TEXT = "Unable to build data connection: Operation not permitted";

    private static final AttributeKey REFUSED = new AttributeKey(DataRefusalReplyFilter.class, "refused");

    /** Marks the control session: the next 425 reply is for a TLS refusal. */
    static void markRefused(IoSession control) {
        control.setAttribute(REFUSED, Boolean.TRUE);
    }

    static void clear(IoSession control) {
        control.removeAttribute(REFUSED);
    }

    @Override
    public void filterWrite(NextFilter next, IoSession session, WriteRequest request) throws Exception {
        Object message = request.getMessage();
        if (message instanceof FtpReply && ((FtpReply) message).getCode() == FtpReply.REPLY_425_CANT_OPEN_DATA_CONNECTION
            && session.removeAttribute(REFUSED) != null) {
            FtpReply replaced = new DefaultFtpReply(FtpReply.REPLY_425_CANT_OPEN_DATA_CONNECTION, TEXT);
            next.filterWrite(session, new DefaultWriteRequest(replaced, request.getFuture(), request.getDestination()));
            return;
        }
        next.filterWrite(session, request);
    }
}
