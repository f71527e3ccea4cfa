package dev.modtls.transport;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.filterchain.IoFilter.NextFilter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteRequest;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS state of one MINA session: its {@link SSLEngine}, the bytes of a partly received record, the plaintext
 * writes waiting for a handshake, and the state machine for handshake, renegotiation, CCC and close.
 * <p>
 * Concurrency: inbound bytes arrive on the session's I/O processor thread; writes, {@code stopTls},
 * {@code renegotiate} and closes may come from any thread; timers fire on {@link TlsTimer}'s thread. Everything that
 * touches the engine runs under the one {@link #lock} of this connection, and ciphertext is handed to the next filter
 * under that lock so records reach the socket in the engine's order (the next filter only queues it). Events that
 * leave the filter upwards (plaintext, SECURED/UNSECURED, listener calls) are collected while locked and run after the
 * lock is released, by the thread that produced them; inbound events therefore keep their order because only the I/O
 * thread produces them. Nothing here ever waits for a future.
 * <p>
 * Blocking work runs on {@link TlsTasks}, never on the I/O thread: the engine's delegated tasks (certificate checks,
 * which may query OCSP responders, and key operations) and, when the listener asks for it
 * ({@link TlsListener#initialHandshakeCompletionBlocks}), the listener's {@code handshakeCompleted} for the initial
 * handshake. Such work is handed to the pool after the step that needs it released the lock and delivered its
 * events ({@link #handoff}); while it runs, inbound processing belongs to the pool thread ({@link #inboundDeferred}):
 * the I/O thread only appends received bytes to {@link #netIn}, and the pool thread, once the work is done, resumes
 * the engine, processes what was buffered, delivers the events, and gives inbound processing back only when a look
 * under the lock finds nothing new. So inbound events still come one thread at a time, in order. While a delegated
 * task runs the engine is off limits (the JDK's task holds the engine's own lock, so any engine call, even
 * {@code getSession()}, would block): writes stay queued, CCC and renegotiation requests wait or are skipped, and a
 * handshake timeout fails the connection without touching the engine.
 */
final class TlsConnection {

    /** Where the connection is in its TLS life. */
    enum State {
        /** Server mode, nothing received yet. */
        WAITING,
        /** Initial handshake under way. */
        HANDSHAKING,
        /** Initial handshake done; application data flows (renegotiations happen in this state too). */
        ESTABLISHED,
        /** {@code stopTls}: our close_notify sent, waiting for the peer's close_notify or clear text. */
        DRAINING,
        /** TLS is over (after CCC or removal from the chain): bytes pass through unchanged. */
        PLAIN,
        /** The handshake or the TLS layer failed: received bytes are dropped, only clear writes go out. */
        FAILED,
        /** The session closed. */
        CLOSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(TlsConnection.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int MAX_FRAGMENT = 16384;
    private static final int RECORDS_PER_PIECE = 8;
    private static final int DRIVE_LIMIT = 64;
    /** Room for one TLS record of the largest size SunJSSE accepts (what getPacketBufferSize() reports). */
    private static final int NET_BUFFER = 16384 + 2048 + 256 + 5;

    private final IoSession session;
    private final SSLEngine engine;
    private final TlsEngineSettings settings;
    private final TlsListener listener;
    private final boolean clientMode;
    private final ReentrantLock lock = new ReentrantLock();

    private NextFilter next;
    private State state;
    private boolean initialDone;
    private boolean handshakeStarted;

    /** Received bytes not yet unwrapped (a partial record), kept in write mode: data is [0, position). */
    private ByteBuffer netIn;
    /** Plaintext unwrapped during the current step, passed up when the step ends. */
    private IoBuffer appOut;
    /** Ciphertext being collected into the next piece. */
    private IoBuffer outBatch;

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ArrayDeque<WriteRequest> inFlight = new ArrayDeque<>();
    private final Set<Object> clearMessages = Collections.newSetFromMap(new IdentityHashMap<>());
    private List<Runnable> actions = new ArrayList<>();
    private boolean pumping;

    private boolean closeNotifyReceived;
    private boolean peerClosedReported;
    private boolean closingByUs;
    private boolean ourRenegotiation;
    private boolean ourKeyUpdate;
    private boolean awaitPeerKeyUpdateReply;
    private boolean peerKeyUpdate;
    private boolean secured;
    private SSLException failure;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> closeTimer;
    private final AtomicBoolean finalClosed = new AtomicBoolean();

    /** The listener's initial handshakeCompleted may block: it runs on {@link TlsTasks}. */
    private final boolean completionOffThread;
    /** A delegated task runs on {@link TlsTasks}: the engine must not be called until it is done. */
    private boolean taskRunning;
    /** The listener's initial handshakeCompleted is (about to be) running on {@link TlsTasks}. */
    private boolean completionPending;
    /** A pool thread owns inbound processing: received bytes are only buffered. */
    private boolean inboundDeferred;
    /** Work for {@link TlsTasks}, started by {@link #release()} after this step's events were delivered. */
    private Runnable handoff;
    /** TCP end of stream arrived while inbound was deferred: passed on, in order, by the pool thread. */
    private NextFilter inputClosedNext;
    /** The SSLSession at the last completed handshake, for queries while a task holds the engine. */
    private SSLSession establishedSession;

    TlsConnection(IoSession session, SSLEngine engine, TlsEngineSettings settings, TlsListener listener) {
        this.session = session;
        this.engine = engine;
        this.settings = settings;
        this.listener = listener;
        this.clientMode = settings.mode() == TlsEngineSettings.Mode.CLIENT;
        this.state = State.WAITING;
        this.completionOffThread = listener.initialHandshakeCompletionBlocks(session);
    }

    // ------------------------------------------------------------------ lifecycle

    /** The filter was added to the session's chain (or the chain was built with it). */
    void attach(NextFilter nextFilter) {
        lock.lock();
        try {
            this.next = nextFilter;
            if (!clientMode) {
                armHandshakeTimer();
            } else if (session.isConnected()) {
                startClientHandshake();
            }
        } finally {
            release();
        }
    }

    /** sessionOpened: a client-mode connection that was not connected when the filter was added starts now. */
    void opened(NextFilter nextFilter) {
        lock.lock();
        try {
            if (next == null) {
                next = nextFilter;
            }
            if (clientMode && state == State.WAITING) {
                startClientHandshake();
            }
        } finally {
            release();
        }
    }

    private void startClientHandshake() {
        if (handshakeStarted) {
            return;
        }
        handshakeStarted = true;
        state = State.HANDSHAKING;
        armHandshakeTimer();
        try {
            engine.beginHandshake();
            drive(engine.getHandshakeStatus());
        } catch (SSLException e) {
            engineFailed(e);
        }
    }

    private void armHandshakeTimer() {
        long millis = settings.handshakeTimeout().toMillis();
        if (millis > 0 && handshakeTimer == null && !initialDone) {
            handshakeTimer = TlsTimer.schedule(this::handshakeTimedOut, millis);
        }
    }

    private void handshakeTimedOut() {
        lock.lock();
        try {
            if (initialDone || state == State.FAILED || state == State.CLOSED || state == State.PLAIN) {
                return;
            }
            long seconds = settings.handshakeTimeout().toSeconds();
            SSLHandshakeException cause = new SSLHandshakeException(
                    String.format("TLS negotiation timed out (%d seconds)", seconds));
            failHandshake(cause, true, false);
        } finally {
            release();
        }
    }

    // ------------------------------------------------------------------ inbound

    /** Bytes from the socket. */
    void receive(IoBuffer in) {
        lock.lock();
        try {
            switch (state) {
            case PLAIN:
                if (inboundDeferred) {
                    keep(in.buf());
                } else {
                    actions.add(() -> next.messageReceived(session, in));
                }
                return;
            case FAILED:
            case CLOSED:
                return;
            case WAITING:
                if (clientMode) {
                    // bytes before our ClientHello: not TLS for us
                    failHandshake(new SSLHandshakeException("peer sent data before the TLS handshake started"),
                            false, false);
                    return;
                }
                if (in.hasRemaining() && !isTlsRecordType(in.get(in.position()))) {
                    // Clear text instead of a ClientHello (a client falling back after AUTH): no alert, which
                    // would only put binary bytes in front of the clear-text 421 that client is about to read.
                    failHandshake(new SSLHandshakeException("Unsupported or unrecognized SSL message"), false,
                            false);
                    return;
                }
                state = State.HANDSHAKING;
                handshakeStarted = true;
                break;
            default:
                break;
            }
            if (inboundDeferred) {
                // a pool thread owns inbound processing until its work is done: keep the bytes, in order
                keep(in.buf());
                return;
            }
            ByteBuffer src = in.buf();
            try {
                if (netIn == null || netIn.position() == 0) {
                    process(src);
                    if (src.hasRemaining() && keepsInput()) {
                        keep(src);
                    }
                } else {
                    keep(src);
                    netIn.flip();
                    try {
                        process(netIn);
                    } finally {
                        netIn.compact();
                    }
                }
                if (!keepsInput() && netIn != null) {
                    netIn.clear();
                }
            } catch (SSLException e) {
                if (netIn != null) {
                    netIn.clear();
                }
                engineFailed(e);
            }
            pump();
        } finally {
            release();
        }
    }

    /** TLS record content types: change_cipher_spec, alert, handshake, application_data. */
    private static boolean isTlsRecordType(byte b) {
        return b >= 20 && b <= 23;
    }

    private boolean keepsInput() {
        return state == State.HANDSHAKING || state == State.ESTABLISHED || state == State.DRAINING;
    }

    private void keep(ByteBuffer src) {
        if (netIn == null) {
            // not the engine's packet size: asking the engine would block while a delegated task runs
            netIn = ByteBuffer.allocate(Math.max(NET_BUFFER, src.remaining()));
        }
        if (netIn.remaining() < src.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(netIn.capacity() * 2, netIn.position() + src.remaining()));
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(src);
    }

    private void process(ByteBuffer src) throws SSLException {
        int idle = 0;
        while (true) {
            if (taskRunning || completionPending) {
                break; // the rest waits in netIn; the pool thread goes on when the work is done
            }
            if (state == State.DRAINING) {
                if (!drainStep(src)) {
                    break;
                }
                continue;
            }
            if (state != State.HANDSHAKING && state != State.ESTABLISHED) {
                break;
            }
            if (!src.hasRemaining()) {
                break;
            }
            if (engine.isInboundDone()) {
                // Bytes after the peer's close_notify without CCC: not TLS any more, never for the decoder.
                LOG.debug("{}: {} bytes after the peer's close_notify; closing", session, src.remaining());
                src.position(src.limit());
                actions.add(session::closeOnFlush);
                break;
            }
            IoBuffer out = appSpace(src.remaining());
            SSLEngineResult r = engine.unwrap(src, out.buf());
            Status st = r.getStatus();
            if (st == Status.BUFFER_OVERFLOW) {
                growApp(engine.getSession().getApplicationBufferSize());
                if (++idle > 4) {
                    throw new SSLException("unwrap keeps overflowing the application buffer");
                }
                continue;
            }
            HandshakeStatus hs = r.getHandshakeStatus();
            if (st == Status.BUFFER_UNDERFLOW) {
                drive(hs);
                break;
            }
            if (initialDone && !clientMode && st == Status.OK && r.bytesConsumed() > 0 && r.bytesProduced() == 0
                    && isTls13()) {
                // TLS 1.3 after the handshake: a client's record that carries no data is a post-handshake message,
                // i.e. a KeyUpdate (a JDK server never asks for post-handshake authentication).
                if (awaitPeerKeyUpdateReply) {
                    awaitPeerKeyUpdateReply = false;
                } else {
                    peerKeyUpdate = true;
                }
            }
            if (hs == HandshakeStatus.FINISHED) {
                onFinished();
                hs = engine.getHandshakeStatus();
            }
            drive(hs);
            if (peerKeyUpdate) {
                peerKeyUpdate = false;
                reportHandshake(HandshakeKind.KEY_UPDATE, true);
            }
            finishedFallback();
            if (st == Status.CLOSED) {
                onPeerCloseNotify();
            }
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                if (++idle > 4) {
                    break;
                }
            } else {
                idle = 0;
            }
        }
        flushApp();
    }

    /**
     * One step of the CCC drain. Returns true when it made progress and should be called again.
     * <p>
     * mod_tls peeks at the next three bytes and treats three printable ASCII characters as clear text. A TLS record
     * starts with its content type, 20 to 23, none of which is printable, so the first byte already decides: anything
     * else is clear text, and those bytes and everything after them go up unchanged.
     */
    private boolean drainStep(ByteBuffer src) throws SSLException {
        if (!src.hasRemaining()) {
            return false;
        }
        int pos = src.position();
        int type = src.get(pos) & 0xff;
        if (type < 20 || type > 23) {
            finishDrain(false);
            passPlain(src);
            return false;
        }
        if (!engine.isInboundDone()) {
            IoBuffer out = appSpace(src.remaining());
            SSLEngineResult r;
            try {
                r = engine.unwrap(src, out.buf());
            } catch (SSLException e) {
                // not a record we can read: the peer left TLS some other way; this is not a clean CCC
                throw e;
            }
            switch (r.getStatus()) {
            case BUFFER_UNDERFLOW:
                return false;
            case BUFFER_OVERFLOW:
                growApp(engine.getSession().getApplicationBufferSize());
                return true;
            case CLOSED:
                if (r.bytesConsumed() > 0) {
                    closeNotifyReceived = true;
                    finishDrain(true);
                    passPlain(src);
                    return false;
                }
                break; // inbound already closed: skip the record by hand below
            default:
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    drive(HandshakeStatus.NEED_TASK);
                }
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
            }
        }
        if (src.remaining() < 5) {
            return false;
        }
        int length = ((src.get(pos + 3) & 0xff) << 8) | (src.get(pos + 4) & 0xff);
        if (src.remaining() < 5 + length) {
            return false;
        }
        src.position(pos + 5 + length);
        closeNotifyReceived = type == 21;
        finishDrain(type == 21);
        passPlain(src);
        return false;
    }

    private void finishDrain(boolean peerCloseNotify) {
        flushApp();
        state = State.PLAIN;
        actions.add(() -> listener.tlsStopped(session, peerCloseNotify));
    }

    private void passPlain(ByteBuffer src) {
        if (src.hasRemaining()) {
            IoBuffer plain = IoBuffer.allocate(src.remaining());
            plain.put(src);
            plain.flip();
            actions.add(() -> next.messageReceived(session, plain));
        }
    }

    private void onPeerCloseNotify() {
        if (closeNotifyReceived) {
            return;
        }
        closeNotifyReceived = true;
        flushApp();
        if (!initialDone) {
            failHandshake(new SSLHandshakeException(TlsFilter.PEER_CLOSED_DURING_HANDSHAKE), false, false);
            return;
        }
        if (!peerClosedReported) {
            peerClosedReported = true;
            actions.add(() -> listener.peerClosed(session, true));
        }
    }

    /**
     * TCP end of stream from the peer. Returns false when the caller passes the event on now; true when a pool thread
     * owns inbound processing and will pass it on through {@code inputClosedNext} after the bytes received before it.
     */
    boolean inputClosed(NextFilter inputClosedNextFilter) {
        lock.lock();
        try {
            if (inboundDeferred && state != State.FAILED && state != State.CLOSED) {
                inputClosedNext = inputClosedNextFilter;
                return true;
            }
            peerEnded();
            return false;
        } finally {
            release();
        }
    }

    private void peerEnded() {
        switch (state) {
        case WAITING:
        case HANDSHAKING:
            failHandshake(new SSLHandshakeException("peer closed the connection during the TLS handshake"), false,
                    false);
            break;
        case ESTABLISHED:
            if (!peerClosedReported) {
                peerClosedReported = true;
                boolean clean = closeNotifyReceived;
                actions.add(() -> listener.peerClosed(session, clean));
            }
            break;
        case DRAINING:
            finishDrain(false);
            break;
        default:
            break;
        }
    }

    private IoBuffer appSpace(int netBytes) {
        int want = Math.max(netBytes, 1024);
        if (appOut == null) {
            appOut = IoBuffer.allocate(Math.max(want, engine.getSession().getApplicationBufferSize()));
        } else if (appOut.remaining() < want) {
            growApp(want);
        }
        return appOut;
    }

    private void growApp(int atLeast) {
        IoBuffer bigger = IoBuffer.allocate(appOut.position() + Math.max(atLeast, appOut.capacity()));
        appOut.flip();
        bigger.put(appOut);
        appOut = bigger;
    }

    private void flushApp() {
        if (appOut != null && appOut.position() > 0) {
            IoBuffer data = appOut.flip();
            appOut = null;
            actions.add(() -> next.messageReceived(session, data));
        }
    }

    // ------------------------------------------------------------------ handshake

    /** Runs tasks and wraps handshake records until the engine needs the peer or is idle. */
    private HandshakeStatus drive(HandshakeStatus hs) throws SSLException {
        for (int i = 0; i < DRIVE_LIMIT; i++) {
            switch (hs) {
            case NEED_TASK:
                List<Runnable> tasks = new ArrayList<>(1);
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    tasks.add(task);
                }
                if (!tasks.isEmpty()) {
                    startTasks(tasks);
                    return HandshakeStatus.NEED_TASK;
                }
                hs = engine.getHandshakeStatus();
                break;
            case NEED_WRAP:
                if (engine.isOutboundDone()) {
                    return engine.getHandshakeStatus();
                }
                SSLEngineResult r = engine.wrap(EMPTY, outSpace(2 * MAX_FRAGMENT));
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    newBatch(2 * MAX_FRAGMENT);
                    hs = HandshakeStatus.NEED_WRAP;
                    break;
                }
                hs = r.getHandshakeStatus();
                if (hs == HandshakeStatus.FINISHED) {
                    onFinished();
                    hs = engine.getHandshakeStatus();
                } else if (r.getStatus() == Status.CLOSED && r.bytesProduced() == 0) {
                    return hs;
                }
                break;
            case FINISHED:
                onFinished();
                hs = engine.getHandshakeStatus();
                break;
            default:
                return hs;
            }
        }
        return hs;
    }

    // ------------------------------------------------------------------ work on TlsTasks

    /** Hands the engine's delegated tasks to the pool; the engine and inbound processing wait for them. */
    private void startTasks(List<Runnable> tasks) {
        taskRunning = true;
        inboundDeferred = true;
        handOff(() -> runTasks(tasks));
    }

    /** Queues pool work for {@link #release()}; two pieces in one step (rare) both go, each resumes when it is done. */
    private void handOff(Runnable work) {
        Runnable before = handoff;
        Runnable submit = () -> TlsTasks.run(work);
        handoff = before == null ? submit : () -> {
            before.run();
            submit.run();
        };
    }

    /** On a pool thread: the delegated tasks, then the engine goes on where it stopped. */
    private void runTasks(List<Runnable> tasks) {
        for (Runnable task : tasks) {
            try {
                task.run(); // the JDK's task keeps its own failure for the next wrap or unwrap to throw
            } catch (RuntimeException e) {
                LOG.debug("{}: delegated task failed: {}", session, e.toString());
            }
        }
        resume(() -> {
            taskRunning = false;
            if (state == State.HANDSHAKING || state == State.ESTABLISHED || state == State.DRAINING) {
                try {
                    drive(engine.getHandshakeStatus());
                    finishedFallback();
                } catch (SSLException e) {
                    if (netIn != null) {
                        netIn.clear();
                    }
                    engineFailed(e);
                }
            }
        });
    }

    /** On a pool thread: the listener's blocking handshakeCompleted, then SECURED and the data held back for it. */
    private void completeOffThread(SSLSession s) {
        try {
            listener.handshakeCompleted(session, s, HandshakeKind.INITIAL, false);
        } catch (RuntimeException e) {
            LOG.warn("{}: TLS event handler failed", session, e);
        }
        resume(() -> {
            completionPending = false;
            if (secured) {
                NextFilter n = next;
                actions.add(() -> n.event(session, SslEvent.SECURED));
            }
        });
    }

    /**
     * On a pool thread: runs {@code first} under the lock, then processes the input buffered meanwhile and delivers
     * the events, round after round, until a round under the lock finds nothing new; only then does inbound
     * processing go back to the I/O thread. Stops early when the step handed new work to the pool (which resumes).
     */
    private void resume(Runnable first) {
        boolean again = true;
        while (again) {
            lock.lock();
            try {
                if (first != null) {
                    first.run();
                    first = null;
                }
                again = continueInbound();
            } finally {
                release();
            }
        }
    }

    /** One round of {@link #resume}; true when it produced events and should look again after delivering them. */
    private boolean continueInbound() {
        if (taskRunning || completionPending) {
            return false;
        }
        processBuffered();
        pump();
        if (taskRunning || completionPending) {
            return false;
        }
        if (!actions.isEmpty()) {
            return true;
        }
        inboundDeferred = false;
        if (inputClosedNext != null) {
            NextFilter n = inputClosedNext;
            inputClosedNext = null;
            if (state != State.CLOSED) {
                peerEnded();
                actions.add(() -> n.inputClosed(session));
            }
        }
        return false;
    }

    /** The bytes that arrived while inbound processing was deferred, processed as {@link #receive} would have. */
    private void processBuffered() {
        if (netIn == null || netIn.position() == 0) {
            return;
        }
        if (state == State.PLAIN) {
            netIn.flip();
            passPlain(netIn);
            netIn.clear();
            return;
        }
        if (keepsInput()) {
            netIn.flip();
            try {
                process(netIn);
            } catch (SSLException e) {
                netIn.clear();
                engineFailed(e);
                return;
            } finally {
                if (netIn != null) {
                    netIn.compact();
                }
            }
        }
        if (!keepsInput() && netIn != null) {
            netIn.clear();
        }
    }

    /** The engine can report the end of a handshake only through FINISHED; this catches a status we never saw. */
    private void finishedFallback() {
        if (!taskRunning && !initialDone && state == State.HANDSHAKING
                && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && !engine.isOutboundDone()
                && !"NONE".equals(engine.getSession().getProtocol())) {
            onFinished();
        }
    }

    private void onFinished() {
        SSLSession s = engine.getSession();
        if (!initialDone) {
            initialDone = true;
            state = State.ESTABLISHED;
            cancel(handshakeTimer);
            handshakeTimer = null;
            session.setAttribute(SslFilter.SSL_SECURED, s);
            establishedSession = s;
            secured = true;
            if (completionOffThread) {
                completionPending = true;
                inboundDeferred = true;
                handoff = () -> TlsTasks.run(() -> completeOffThread(s));
            } else {
                actions.add(() -> listener.handshakeCompleted(session, s, HandshakeKind.INITIAL, false));
                actions.add(() -> next.event(session, SslEvent.SECURED));
            }
            pump();
            return;
        }
        if (state != State.ESTABLISHED) {
            return;
        }
        session.setAttribute(SslFilter.SSL_SECURED, s);
        establishedSession = s;
        if (!isTls13()) {
            boolean byPeer = !ourRenegotiation;
            ourRenegotiation = false;
            reportHandshake(HandshakeKind.RENEGOTIATION, byPeer);
        } else if (ourKeyUpdate) {
            ourKeyUpdate = false;
            awaitPeerKeyUpdateReply = true;
            reportHandshake(HandshakeKind.KEY_UPDATE, false);
        } else if (peerKeyUpdate) {
            peerKeyUpdate = false;
            reportHandshake(HandshakeKind.KEY_UPDATE, true);
        }
        // otherwise a TLS 1.3 NewSessionTicket or our answer to a KeyUpdate: nothing to report
    }

    private void reportHandshake(HandshakeKind kind, boolean byPeer) {
        SSLSession s = taskRunning ? establishedSession : engine.getSession();
        actions.add(() -> listener.handshakeCompleted(session, s, kind, byPeer));
    }

    private boolean isTls13() {
        return "TLSv1.3".equals(engine.getSession().getProtocol());
    }

    /** An SSLException from the engine: a handshake failure before the first handshake finished, else a TLS error. */
    private void engineFailed(SSLException e) {
        if (!initialDone) {
            failHandshake(e, false, true);
            return;
        }
        if (state == State.FAILED || state == State.CLOSED) {
            return;
        }
        LOG.debug("{}: TLS failed: {}", session, e.toString());
        failure = e;
        state = State.FAILED;
        sendAlert();
        unsecure();
        failPending(e);
        actions.add(() -> listener.tlsFailed(session, e));
        actions.add(session::closeOnFlush);
    }

    private void failHandshake(SSLException cause, boolean timedOut, boolean sendAlert) {
        if (state == State.FAILED || state == State.CLOSED) {
            return;
        }
        state = State.FAILED;
        failure = cause;
        cancel(handshakeTimer);
        handshakeTimer = null;
        if (sendAlert) {
            sendAlert();
        }
        if (netIn != null) {
            netIn.clear();
        }
        appOut = null;
        failPending(cause);
        actions.add(() -> listener.handshakeFailed(session, cause, timedOut));
    }

    /** Wraps whatever the broken engine still has to say (its alert); bounded, errors ignored. */
    private void sendAlert() {
        if (taskRunning) {
            return; // the engine is busy with the task; its alert cannot be had without waiting
        }
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                SSLEngineResult r = engine.wrap(EMPTY, outSpace(2 * MAX_FRAGMENT));
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException | RuntimeException e) {
            LOG.trace("{}: no alert sent: {}", session, e.toString());
        }
    }

    // ------------------------------------------------------------------ outbound

    /** filterWrite: a message coming down the chain. */
    void write(WriteRequest request) {
        lock.lock();
        try {
            if (!clearMessages.isEmpty() && clearMessages.remove(request.getOriginalMessage())) {
                shipBatch(null);
                next.filterWrite(session, request);
                return;
            }
            switch (state) {
            case PLAIN:
            case DRAINING:
                if (pending.isEmpty()) {
                    next.filterWrite(session, request);
                    return;
                }
                break;
            case FAILED:
            case CLOSED:
                request.getFuture().setException(failure != null ? failure : closedException(request));
                return;
            default:
                break;
            }
            Object message = request.getMessage();
            if (!(message instanceof IoBuffer)) {
                request.getFuture().setException(new IllegalArgumentException(
                        "the TLS filter can only encrypt IoBuffers, not " + message.getClass().getName()));
                return;
            }
            pending.add(new Pending(request, ((IoBuffer) message).buf()));
            pump();
        } finally {
            release();
        }
    }

    void markClear(Object message) {
        lock.lock();
        try {
            clearMessages.add(message);
        } finally {
            lock.unlock();
        }
    }

    /** Encrypts (or, after TLS ended, passes on) queued writes in order, as far as the engine allows. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (!pending.isEmpty()) {
                Pending p = pending.peek();
                if (state == State.WAITING || state == State.HANDSHAKING) {
                    return;
                }
                if (state == State.FAILED || state == State.CLOSED) {
                    failPending(failure);
                    return;
                }
                if (taskRunning) {
                    return; // resumed when the task is done
                }
                if (p.stop) {
                    pending.poll();
                    stopNow();
                    continue;
                }
                if (state == State.PLAIN || state == State.DRAINING) {
                    pending.poll();
                    shipBatch(null);
                    next.filterWrite(session, p.request);
                    continue;
                }
                boolean done;
                try {
                    done = encrypt(p);
                } catch (SSLException e) {
                    pending.poll();
                    p.request.getFuture().setException(e);
                    engineFailed(e);
                    return;
                }
                if (!done) {
                    return;
                }
                pending.poll();
            }
        } finally {
            pumping = false;
        }
    }

    /** Wraps one plaintext write into pieces; false when a renegotiation needs the peer first. */
    private boolean encrypt(Pending p) throws SSLException {
        ByteBuffer src = p.src;
        int stuck = 0;
        while (src.hasRemaining()) {
            SSLEngineResult r = engine.wrap(src, outSpace(src.remaining()));
            Status st = r.getStatus();
            if (st == Status.BUFFER_OVERFLOW) {
                newBatch(src.remaining());
                if (++stuck > 4) {
                    throw new SSLException("wrap keeps overflowing the output buffer");
                }
                continue;
            }
            if (st == Status.CLOSED) {
                shipBatch(null);
                p.request.getFuture().setException(new SSLException("TLS is closed for writing on this connection"));
                return true;
            }
            HandshakeStatus hs = r.getHandshakeStatus();
            if (hs == HandshakeStatus.FINISHED) {
                onFinished();
                hs = engine.getHandshakeStatus();
            }
            // after application data: a NewSessionTicket (after SSLSession.putValue) or a KeyUpdate may be due
            hs = drive(hs);
            if (taskRunning && src.hasRemaining()) {
                shipBatch(null);
                return false; // the rest after the task
            }
            if (r.bytesConsumed() == 0) {
                if (hs == HandshakeStatus.NEED_UNWRAP || ++stuck > 4) {
                    shipBatch(null);
                    return false;
                }
            } else {
                stuck = 0;
            }
        }
        if (outBatch != null && outBatch.position() > 0) {
            shipBatch(p.request);
        } else {
            next.filterWrite(session, p.request);
        }
        return true;
    }

    /** Room for at least one record in the current batch; starts a new batch when needed. */
    private ByteBuffer outSpace(int plaintextHint) {
        int packet = engine.getSession().getPacketBufferSize();
        if (outBatch != null && outBatch.remaining() >= packet) {
            return outBatch.buf();
        }
        newBatch(plaintextHint);
        return outBatch.buf();
    }

    private void newBatch(int plaintextHint) {
        shipBatch(null);
        int packet = engine.getSession().getPacketBufferSize();
        int records = Math.max(1, Math.min(RECORDS_PER_PIECE, (plaintextHint + MAX_FRAGMENT - 1) / MAX_FRAGMENT));
        outBatch = IoBuffer.allocate(records * packet + (records > 1 ? packet / 2 : 0));
    }

    private void shipBatch(WriteRequest original) {
        shipBatch(original, false);
    }

    private void shipBatch(WriteRequest original, boolean closeMarker) {
        IoBuffer batch = outBatch;
        outBatch = null;
        if (batch == null || batch.position() == 0) {
            if (original != null) {
                next.filterWrite(session, original);
            }
            return;
        }
        batch.flip();
        TlsRecordWriteRequest.PieceFuture future = new TlsRecordWriteRequest.PieceFuture(session, this, original,
                closeMarker);
        if (original != null) {
            inFlight.add(original);
        }
        next.filterWrite(session, new TlsRecordWriteRequest(batch, future, original));
    }

    void pieceWritten(WriteRequest original, boolean closeMarker) {
        if (original != null) {
            lock.lock();
            try {
                inFlight.removeFirstOccurrence(original);
            } finally {
                lock.unlock();
            }
            session.getFilterChain().fireMessageSent(original);
        }
        if (closeMarker) {
            finalClose();
        }
    }

    void pieceFailed(WriteRequest original, boolean closeMarker, Throwable cause) {
        if (original != null) {
            lock.lock();
            try {
                inFlight.removeFirstOccurrence(original);
            } finally {
                lock.unlock();
            }
            original.getFuture().setException(cause);
        }
        if (closeMarker) {
            finalClose();
        }
    }

    /** Fails every queued write with {@code cause}, or with a "closed session" error when it is null. */
    private void failPending(Throwable cause) {
        Pending p;
        while ((p = pending.poll()) != null) {
            if (!p.stop) {
                p.request.getFuture().setException(cause != null ? cause : closedException(p.request));
            }
        }
    }

    private WriteToClosedSessionException closedException(WriteRequest request) {
        return new WriteToClosedSessionException(request);
    }

    // ------------------------------------------------------------------ API operations

    /** CCC: after the writes already issued, send close_notify and switch to clear text. */
    void stopTls() {
        lock.lock();
        try {
            if (state == State.PLAIN || state == State.DRAINING || state == State.FAILED || state == State.CLOSED) {
                return;
            }
            if (!pending.isEmpty() || !initialDone || taskRunning) {
                pending.add(Pending.STOP);
                pump();
            } else {
                stopNow();
            }
        } finally {
            release();
        }
    }

    private void stopNow() {
        shipBatch(null);
        engine.closeOutbound();
        try {
            drive(HandshakeStatus.NEED_WRAP);
        } catch (SSLException e) {
            LOG.debug("{}: close_notify for CCC not sent: {}", session, e.toString());
        }
        shipBatch(null);
        state = State.DRAINING;
        unsecure();
        if (!inboundDeferred && netIn != null && netIn.position() > 0) {
            netIn.flip();
            try {
                process(netIn);
            } catch (SSLException e) {
                engineFailed(e);
            } finally {
                if (netIn != null) {
                    netIn.compact();
                }
            }
        }
    }

    /** Removal from the chain: close_notify if TLS is up, then the connection is plain for good. */
    void detach() {
        lock.lock();
        try {
            cancel(handshakeTimer);
            cancel(closeTimer);
            if (state == State.ESTABLISHED && !taskRunning) {
                pump();
                shipBatch(null);
                engine.closeOutbound();
                try {
                    drive(HandshakeStatus.NEED_WRAP);
                } catch (SSLException e) {
                    LOG.debug("{}: close_notify on removal not sent: {}", session, e.toString());
                }
                shipBatch(null);
            }
            if (state == State.WAITING || state == State.HANDSHAKING) {
                failPending(new SSLException("TLS filter removed before the handshake finished"));
            }
            unsecure();
            if (state != State.CLOSED && inboundDeferred) {
                // bytes a pool thread would have processed: the connection is plain from now on, so they go up as
                // they are, before anything the I/O thread receives after this
                inboundDeferred = false;
                if (netIn != null && netIn.position() > 0) {
                    netIn.flip();
                    passPlain(netIn);
                    netIn.clear();
                }
            }
            if (state != State.CLOSED) {
                // what is still queued goes out as it is
                Pending p;
                while ((p = pending.poll()) != null) {
                    if (!p.stop) {
                        next.filterWrite(session, p.request);
                    }
                }
                state = State.PLAIN;
            }
        } finally {
            release();
        }
    }

    /** TLS 1.2: HelloRequest; TLS 1.3: KeyUpdate (update_requested). False when TLS is not up. */
    boolean renegotiate() {
        lock.lock();
        try {
            if (state != State.ESTABLISHED) {
                return false;
            }
            if (taskRunning) {
                return true; // a handshake the peer started is under way; it is the renegotiation asked for
            }
            pump();
            if (isTls13()) {
                ourKeyUpdate = true;
            } else {
                ourRenegotiation = true;
            }
            try {
                engine.beginHandshake();
                drive(engine.getHandshakeStatus());
                if (ourKeyUpdate && !taskRunning && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                    // the KeyUpdate went out without a FINISHED status
                    ourKeyUpdate = false;
                    awaitPeerKeyUpdateReply = true;
                    reportHandshake(HandshakeKind.KEY_UPDATE, false);
                }
            } catch (SSLException e) {
                engineFailed(e);
                return false;
            }
            return true;
        } finally {
            release();
        }
    }

    /** Wraps pending post-handshake messages (NewSessionTicket, KeyUpdate) now. */
    void flushHandshake() {
        lock.lock();
        try {
            if (state == State.ESTABLISHED && !taskRunning) {
                pump();
                try {
                    drive(engine.getHandshakeStatus());
                } catch (SSLException e) {
                    engineFailed(e);
                }
            }
        } finally {
            release();
        }
    }

    /**
     * filterClose: send close_notify (when TLS is up) and let the TCP close follow once it is written, or after the
     * close timeout at the latest.
     */
    void close(NextFilter closeNext) {
        boolean deferred = false;
        lock.lock();
        try {
            closingByUs = true;
            if (next == null) {
                next = closeNext;
            }
            // during a delegated task (a peer's renegotiation) the engine cannot be asked: close without close_notify
            if (state == State.ESTABLISHED && !taskRunning && !engine.isOutboundDone()) {
                pump();
                failPending(null);
                shipBatch(null);
                engine.closeOutbound();
                try {
                    drive(HandshakeStatus.NEED_WRAP);
                } catch (SSLException e) {
                    LOG.debug("{}: close_notify not sent: {}", session, e.toString());
                }
                if (outBatch != null && outBatch.position() > 0) {
                    shipBatch(null, true);
                    deferred = true;
                    closeTimer = TlsTimer.schedule(this::finalClose, settings.closeTimeout().toMillis());
                }
            } else {
                failPending(null);
            }
        } finally {
            release();
        }
        if (!deferred) {
            finalClose();
        }
    }

    private void finalClose() {
        if (finalClosed.compareAndSet(false, true)) {
            NextFilter n;
            lock.lock();
            try {
                cancel(closeTimer);
                n = next;
            } finally {
                lock.unlock();
            }
            n.filterClose(session);
        }
    }

    /** sessionClosed: the session is gone; tell the listener what it did not hear yet and fail what is left. */
    void closed() {
        lock.lock();
        try {
            cancel(handshakeTimer);
            cancel(closeTimer);
            if (!closingByUs) {
                peerEnded();
            }
            state = State.CLOSED;
            failPending(null);
            for (WriteRequest r : inFlight) {
                r.getFuture().setException(closedException(r));
            }
            inFlight.clear();
            clearMessages.clear();
            unsecure();
            netIn = null;
            appOut = null;
            outBatch = null;
        } finally {
            release();
        }
    }

    private void unsecure() {
        if (secured) {
            secured = false;
            session.removeAttribute(SslFilter.SSL_SECURED);
            NextFilter n = next;
            actions.add(() -> n.event(session, SslEvent.UNSECURED));
        }
    }

    // ------------------------------------------------------------------ queries

    State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    boolean isCloseNotifyReceived() {
        lock.lock();
        try {
            return closeNotifyReceived;
        } finally {
            lock.unlock();
        }
    }

    SSLSession sslSession() {
        lock.lock();
        try {
            if (!initialDone || state != State.ESTABLISHED) {
                return null;
            }
            return taskRunning ? establishedSession : engine.getSession();
        } finally {
            lock.unlock();
        }
    }

    SSLEngine engine() {
        return engine;
    }

    // ------------------------------------------------------------------ helpers

    /** Ships what this step produced, unlocks, then runs the collected upward events in order. */
    private void release() {
        List<Runnable> todo = null;
        Runnable work = null;
        try {
            if (outBatch != null && outBatch.position() > 0 && next != null) {
                shipBatch(null);
            }
            if (!actions.isEmpty()) {
                todo = actions;
                actions = new ArrayList<>();
            }
            if (lock.getHoldCount() == 1) {
                work = handoff;
                handoff = null;
            }
        } finally {
            lock.unlock();
        }
        if (todo != null) {
            for (Runnable action : todo) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: TLS event handler failed", session, e);
                }
            }
        }
        if (work != null) {
            work.run();
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** A write waiting for the handshake (or the CCC marker). */
    private static final class Pending {
        static final Pending STOP = new Pending(null, null);

        final WriteRequest request;
        final ByteBuffer src;
        final boolean stop;

        Pending(WriteRequest request, ByteBuffer src) {
            this.request = request;
            this.src = src;
            this.stop = request == null;
        }
    }
}
