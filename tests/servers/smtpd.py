#!/usr/bin/python3
"""A real SMTP server on 127.0.0.1 (Debian's python3-aiosmtpd) that saves
every message it accepts as DIR/N.eml, exactly as received in DATA, and
the envelope as DIR/N.env.  Binds a free port and writes it to PORTFILE.

usage: smtpd.py DIR PORTFILE

$GAZETTE_SMTPD_DELAY (seconds) holds back each 250 after the message is
saved, widening the window a crash test aims at.
"""
import asyncio
import os
import signal
import socket
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class Saver:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0
        self.delay = float(os.environ.get("GAZETTE_SMTPD_DELAY", "0"))

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.outdir, "%04d" % self.count)
        with open(base + ".env.tmp", "w") as f:
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


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    outdir, portfile = sys.argv[1:3]
    os.makedirs(outdir, exist_ok=True)
    for _ in range(20):
        port = free_port()
        ctl = Controller(Saver(outdir), hostname="127.0.0.1", port=port)
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
