#!/usr/bin/python3
"""A real SMTP server on 127.0.0.1 (Debian's python3-aiosmtpd) that saves
every message it accepts as DIR/N.eml, exactly as received in DATA, and
the envelope as DIR/N.env (with the client's address and port, so tests
can tell connections apart).  Binds a free port and writes it to PORTFILE.

usage: smtpd.py DIR PORTFILE [--starttls CERT KEY | --tls CERT KEY]
                            [--auth USER:PASSWORD [--exclude MECH]...]
                            [--session-log] [--pipelining] [--defer N]
                            [--busy N]

--starttls offers STARTTLS with that certificate and key (PEM); --tls
speaks TLS from the first byte (port-465 style).  --auth offers AUTH
PLAIN and LOGIN (minus each --exclude) and requires it before MAIL; every
attempt is appended to DIR/auth.log as "MECH ok" or "MECH refused".
N.env says "STARTTLS:yes" when the message came after STARTTLS.

--session-log appends each MAIL and RSET to DIR/session.log as "PORT MAIL"
or "PORT RSET", the client's port telling connections apart; an RSET whose
next commands had already arrived with it, before its reply went out (the
client pipelined them), is logged as "PORT RSET+MAIL+RCPT+DATA".
--pipelining offers PIPELINING (RFC 2920) in the EHLO reply.

--busy N answers the first N EHLO commands "421 4.3.2 Service busy, try
again later" (each noted in DIR/busy.log), as a loaded server does before
any message.

--defer N answers the first N RCPT commands "451 4.7.1 Greylisted, try
again later", as a greylisting server does, and then logs the time of
each RCPT to DIR/rcpt.log as "UNIXTIME deferred" or "UNIXTIME accepted".

$GAZETTE_SMTPD_DELAY (seconds) holds back each 250 after the message is
saved, widening the window a crash test aims at.
"""
import argparse
import asyncio
import os
import signal
import socket
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult


class Saver:
    def __init__(self, outdir, defer=0, busy=0):
        self.outdir = outdir
        self.count = 0
        self.delay = float(os.environ.get("GAZETTE_SMTPD_DELAY", "0"))
        self.defer = defer
        self.busy = busy
        self.rcpt_log = os.path.join(outdir, "rcpt.log") if defer else None

    async def handle_EHLO(self, server, session, envelope, hostname,
                          responses):
        session.host_name = hostname
        if self.busy > 0:
            self.busy -= 1
            with open(os.path.join(self.outdir, "busy.log"), "a") as f:
                f.write("%.3f busy\n" % time.time())
            return ["421 4.3.2 Service busy, try again later"]
        return responses

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        deferred = self.defer > 0
        if self.rcpt_log is not None:
            with open(self.rcpt_log, "a") as f:
                f.write("%.3f %s\n" % (time.time(), "deferred" if deferred
                                       else "accepted"))
        if deferred:
            self.defer -= 1
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.outdir, "%04d" % self.count)
        with open(base + ".env.tmp", "w") as f:
            f.write("PEER:%s:%s\n" % tuple(session.peer[:2]))
            f.write("STARTTLS:%s\n" % ("yes" if session.ssl else "no"))
            f.write("MAIL FROM:%s\n" % envelope.mail_from)
            for rcpt in envelope.rcpt_tos:
                f.write("RCPT TO:%s\n" % rcpt)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".env.tmp", base + ".env")
        os.rename(base + ".eml.tmp", base + ".eml")
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        return "250 OK saved"


class SessionLog(Saver):
    """Saver that also logs MAIL and RSET, and may offer PIPELINING."""

    def __init__(self, outdir, pipelining, defer=0, busy=0):
        super().__init__(outdir, defer, busy)
        self.log = os.path.join(outdir, "session.log")
        self.pipelining = pipelining

    def note(self, session, what):
        with open(self.log, "a") as f:
            f.write("%s %s\n" % (session.peer[1], what))

    async def handle_EHLO(self, server, session, envelope, hostname,
                          responses):
        responses = await super().handle_EHLO(server, session, envelope,
                                              hostname, responses)
        if self.pipelining and responses[0].startswith("250"):
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address,
                          mail_options):
        self.note(session, "MAIL")
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RSET(self, server, session, envelope):
        # What the client sent with RSET is in the reader's buffer before
        # RSET is answered; a client that waits for the reply sends
        # nothing more in the meantime.  (aiosmtpd has no public view of
        # its buffer; the private one is the server's own input.)
        await asyncio.sleep(0.1)
        waiting = bytes(getattr(server._reader, "_buffer", b""))
        verbs = [line.split(b":")[0].split(b" ")[0].decode("ascii", "replace")
                 for line in waiting.split(b"\r\n") if line]
        self.note(session, "+".join(["RSET"] + verbs))
        return "250 OK"


class Authenticator:
    def __init__(self, outdir, userpass):
        self.log = os.path.join(outdir, "auth.log")
        user, _, password = userpass.partition(":")
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        good = (auth_data.login == self.user and
                auth_data.password == self.password)
        with open(self.log, "a") as f:
            f.write("%s %s\n" % (mechanism, "ok" if good else "refused"))
        # handled=False: aiosmtpd itself answers 535 to a refusal.
        return AuthResult(success=good, handled=False)


def tls_context(cert, key):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def options(args):
    """Keyword arguments for the Controller from the command line."""
    kw = {}
    if args.starttls:
        kw["tls_context"] = tls_context(*args.starttls)
        kw["require_starttls"] = False
    if args.tls:
        kw["ssl_context"] = tls_context(*args.tls)
    if args.auth:
        kw["authenticator"] = Authenticator(args.dir, args.auth)
        kw["auth_required"] = True
        # The test server's TLS is what is being tested; AUTH over plain
        # text is allowed so AUTH can be tested on its own.
        kw["auth_require_tls"] = False
        kw["auth_exclude_mechanism"] = args.exclude
    return kw


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("portfile")
    ap.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--auth", metavar="USER:PASSWORD")
    ap.add_argument("--exclude", action="append", default=[])
    ap.add_argument("--session-log", action="store_true")
    ap.add_argument("--pipelining", action="store_true")
    ap.add_argument("--defer", type=int, default=0, metavar="N")
    ap.add_argument("--busy", type=int, default=0, metavar="N")
    args = ap.parse_args()
    outdir, portfile = args.dir, args.portfile
    os.makedirs(outdir, exist_ok=True)
    kw = options(args)
    for _ in range(20):
        port = free_port()
        handler = (SessionLog(outdir, args.pipelining, args.defer, args.busy)
                   if args.session_log or args.pipelining
                   else Saver(outdir, args.defer, args.busy))
        ctl = Controller(handler, hostname="127.0.0.1", port=port, **kw)
        try:
            ctl.start()
            break
        except Exception:
            continue
    else:
        sys.exit("smtpd.py: no free port")
    with open(portfile + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(portfile + ".tmp", portfile)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    ctl.stop()


if __name__ == "__main__":
    main()
