"""A real SMTP server in the test process (aiosmtpd) that keeps what it receives, and can be
told to refuse ("451 try later", "550 no such user"). The ``smtp`` fixture points the portal's
Flask-Mailman at it for one test."""
import email
import socket
from email import policy
from types import SimpleNamespace

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self):
        self.messages = []      # email.message.EmailMessage, as received
        self.refuse = None      # an SMTP reply to give instead of accepting, e.g. "451 4.3.0 try later"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m.envelope_to]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def body(message, kind="plain") -> str:
    return message.get_body((kind,)).get_content()


def start(app):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    state = app.extensions["mailman"]
    saved = (state.backend, state.server, state.port, state.timeout)
    state.backend, state.server, state.port, state.timeout = "smtp", "127.0.0.1", controller.port, 5

    server = SimpleNamespace(recorder=recorder, controller=controller, port=controller.port)

    def down():
        """The server goes away (connections are refused on its port)."""
        server.controller.stop()
        server.controller = None

    def up():
        server.controller = Controller(recorder, hostname="127.0.0.1", port=server.port)
        server.controller.start()

    def stop():
        if server.controller is not None:
            server.controller.stop()
        state.backend, state.server, state.port, state.timeout = saved
    server.down, server.up, server.stop = down, up, stop
    return server
