"""FTPS client actions for the end-to-end tests, on Python's ftplib.FTP_TLS.

usage: ftps_client.py HOST PORT USER PASSWORD TLSVERSION MODE [ARGS...]
TLSVERSION: TLSv1_2 or TLSv1_3.  Modes (each prints one result line per action, or exits non-zero):
  stock-list                 stock FTP_TLS (never reuses the control TLS session) lists the home
  reuse-retr N FILE          an FTP_TLS subclass that reuses the control session retrieves FILE N times
  roundtrip TYPE LOCAL NAME  uploads LOCAL as NAME, downloads it again, prints the SHA-256 of what came back
                             (TYPE I or A; for A the bytes are sent and received as they are, under TYPE A)
  hijack FILE                a thief connects to the passive port first with its own TLS session; then the
                             real (reusing) client retrieves FILE; prints the thief's outcome and the transfer's
  squat FILE N               N idle connections squat the passive port before the real client connects; then the
                             real client retrieves FILE and prints the transfer's outcome
  late-client FILE           a thief handshakes on the passive port; the real client sends RETR first and only
                             connects after the 150; prints the thief's and the transfer's outcomes
  retr-twice FILE SIGNAL     a reusing client retrieves FILE, prints, waits until the file SIGNAL exists (the test
                             changes the server meanwhile), then retrieves FILE again on the same session
  auth-ssl-list              AUTH SSL (which implies PROT P), login without PBSZ/PROT, then a protected LIST
  truncated-upload NAME      starts STOR NAME, sends some bytes and drops TCP without close_notify
"""
import ftplib
import hashlib
import os
import socket
import ssl
import sys
import threading
import time


class ReusingFTP(ftplib.FTP_TLS):
    """Offers the control connection's TLS session on every data connection, as curl and lftp do."""

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=self.sock.session)
        return conn, size


def context(version):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    v = getattr(ssl.TLSVersion, version)
    ctx.minimum_version = v
    ctx.maximum_version = v
    return ctx


def session(cls, host, port, user, password, version):
    f = cls(context=context(version), timeout=30)
    f.connect(host, port)
    f.login(user, password)
    f.prot_p()
    return f


def read_to_end(conn):
    """Reads a protected data connection to its end, answers the server's close_notify and closes it."""
    data = bytearray()
    while True:
        chunk = conn.recv(1 << 16)
        if not chunk:
            break
        data += chunk
    conn.unwrap()
    conn.close()
    return bytes(data)


def steal_in_background(version, pasv_host, pasv_port, outcome):
    """A thief with its own TLS session connects to the passive port and tries to read; records what it got."""
    def steal():
        try:
            raw = socket.create_connection((pasv_host, pasv_port), timeout=20)
            thief = context(version).wrap_socket(raw)
            got = thief.recv(1 << 16)
            outcome['thief'] = 'received %d bytes' % len(got)
        except (OSError, ssl.SSLError) as e:
            outcome['thief'] = 'refused (%s)' % type(e).__name__
    t = threading.Thread(target=steal)
    t.start()
    return t


def transfer_raw(f, cmd, type_code, payload=None):
    """Runs one transfer under TYPE type_code with raw bytes; returns the bytes received (downloads)."""
    f.voidcmd('TYPE ' + type_code)
    conn, _ = f.ntransfercmd(cmd)
    received = bytearray()
    with conn:
        if payload is not None:
            view = memoryview(payload)
            for i in range(0, len(view), 1 << 16):
                conn.sendall(view[i:i + (1 << 16)])
        else:
            while True:
                chunk = conn.recv(1 << 16)
                if not chunk:
                    break
                received += chunk
        if isinstance(conn, ssl.SSLSocket):
            conn.unwrap()
    f.voidresp()
    return bytes(received)


def main():
    host, port, user, password, version, mode = sys.argv[1:7]
    port = int(port)
    args = sys.argv[7:]
    if mode == 'stock-list':
        f = session(ftplib.FTP_TLS, host, port, user, password, version)
        lines = []
        try:
            f.retrlines('LIST', lines.append)
            print('226 listed %d entries' % len(lines))
        except ftplib.all_errors as e:
            print(str(e))
        print(f.voidcmd('NOOP'))
        f.quit()
    elif mode == 'reuse-retr':
        n, name = int(args[0]), args[1]
        f = session(ReusingFTP, host, port, user, password, version)
        for _ in range(n):
            data = transfer_raw(f, 'RETR ' + name, 'I')
            print('%s %d' % (f.lastresp, len(data)))
        f.quit()
    elif mode == 'roundtrip':
        type_code, local, name = args
        payload = open(local, 'rb').read()
        f = session(ReusingFTP, host, port, user, password, version)
        transfer_raw(f, 'STOR ' + name, type_code, payload)
        print('stored %s' % f.lastresp)
        back = transfer_raw(f, 'RETR ' + name, type_code)
        print('sha256 %s %d' % (hashlib.sha256(back).hexdigest(), len(back)))
        f.quit()
    elif mode == 'hijack':
        name = args[0]
        f = session(ReusingFTP, host, port, user, password, version)
        f.voidcmd('TYPE I')
        pasv_host, pasv_port = f.makepasv()
        outcome = {}
        t = steal_in_background(version, pasv_host, pasv_port, outcome)
        time.sleep(0.3)  # the thief is first at the port
        conn = socket.create_connection((pasv_host, pasv_port), timeout=20)
        resp = f.sendcmd('RETR ' + name)
        conn = f.context.wrap_socket(conn, server_hostname=f.host, session=f.sock.session)
        data = read_to_end(conn)
        final = f.voidresp()
        t.join(30)
        print('thief %s' % outcome.get('thief', 'still waiting'))
        print('client %s %s %d bytes' % (resp[:3], final[:3], len(data)))
        f.quit()
    elif mode == 'auth-ssl-list':
        f = ReusingFTP(context=context(version), timeout=30)
        f.connect(host, port)
        print(f.sendcmd('AUTH SSL'))
        f.sock = f.context.wrap_socket(f.sock, server_hostname=host)
        f.file = f.sock.makefile('r', encoding=f.encoding)
        f.login(user, password)
        f._prot_p = True  # what AUTH SSL implies; no PROT command is sent
        lines = []
        f.retrlines('LIST', lines.append)
        print('%s %d' % (f.lastresp, len(lines)))
        f.quit()
    elif mode == 'squat':
        name, n = args[0], int(args[1])
        f = session(ReusingFTP, host, port, user, password, version)
        f.voidcmd('TYPE I')
        pasv_host, pasv_port = f.makepasv()
        squatters = [socket.create_connection((pasv_host, pasv_port), timeout=20) for _ in range(n)]
        time.sleep(0.2)
        conn = socket.create_connection((pasv_host, pasv_port), timeout=20)
        resp = f.sendcmd('RETR ' + name)
        conn = f.context.wrap_socket(conn, server_hostname=f.host, session=f.sock.session)
        data = read_to_end(conn)
        final = f.voidresp()
        for s_ in squatters:
            s_.close()
        print('client %s %s %d bytes' % (resp[:3], final[:3], len(data)))
        f.quit()
    elif mode == 'late-client':
        name = args[0]
        f = session(ReusingFTP, host, port, user, password, version)
        f.voidcmd('TYPE I')
        pasv_host, pasv_port = f.makepasv()
        outcome = {}
        t = steal_in_background(version, pasv_host, pasv_port, outcome)
        time.sleep(0.3)
        resp = f.sendcmd('RETR ' + name)  # the 150 comes while only the thief is connected
        t.join(10)  # the thief is refused first
        conn = socket.create_connection((pasv_host, pasv_port), timeout=20)
        conn = f.context.wrap_socket(conn, server_hostname=f.host, session=f.sock.session)
        data = read_to_end(conn)
        final = f.voidresp()
        print('thief %s' % outcome.get('thief', 'still waiting'))
        print('client %s %s %d bytes' % (resp[:3], final[:3], len(data)))
        f.quit()
    elif mode == 'retr-twice':
        name, signal = args
        f = session(ReusingFTP, host, port, user, password, version)
        data = transfer_raw(f, 'RETR ' + name, 'I')
        print('%s %d' % (f.lastresp, len(data)), flush=True)
        deadline = time.time() + 60
        while not os.path.exists(signal) and time.time() < deadline:
            time.sleep(0.05)
        data = transfer_raw(f, 'RETR ' + name, 'I')
        print('%s %d' % (f.lastresp, len(data)), flush=True)
        f.quit()
    elif mode == 'truncated-upload':
        name = args[0]
        f = session(ReusingFTP, host, port, user, password, version)
        f.voidcmd('TYPE I')
        conn, _ = f.ntransfercmd('STOR ' + name)
        conn.sendall(b'x' * 100000)
        # end TCP under TLS (FIN) without a close_notify
        socket.socket.shutdown(conn, socket.SHUT_RDWR)
        socket.socket.close(conn)
        try:
            print(f.voidresp())
        except ftplib.all_errors as e:
            print(str(e))
        print(f.voidcmd('NOOP'))
        f.quit()
    else:
        raise SystemExit('unknown mode ' + mode)


if __name__ == '__main__':
    main()
