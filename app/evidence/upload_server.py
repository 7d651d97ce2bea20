"""Phone upload: a small HTTP server on the LAN address, one random token per case, 10 minutes, images/PDF only.

Started only while the upload dialog is open. It serves exactly two things: the upload page
(GET /u/TOKEN) and the upload itself (POST /u/TOKEN?name=…&label=…, the file as the request body).
Every other path is 404; there is no listing of anything.
"""
from __future__ import annotations

import html
import json
import logging
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from app.core import codes
from app.core.errors import FieldError, InputError
from app.evidence import attachments

TOKEN_MINUTES = 10
PREFIX = "/u/"
MAX_CONNECTIONS = 16  # phones at one counter: a few; more at once is someone flooding the desk
READ_SECONDS = 20  # a request that stops sending is dropped (31 half-sent requests held the server before)

log = logging.getLogger(__name__)

# on_upload(case_no, name, data, label): stores the file, raising FieldError/InputError when refused.
OnUpload = Callable[[str, str, bytes, str], None]


def lan_address() -> str:
    """The address other devices on the local network reach this computer at (127.0.0.1 without one)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))  # UDP connect sends nothing; it only picks the outgoing interface
        return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


@dataclass
class Grant:
    case_no: str
    expires: float  # on the server's clock


class UploadServer:
    def __init__(self, on_upload: OnUpload, host: str | None = None, port: int = 0,
                 minutes: float = TOKEN_MINUTES, clock: Callable[[], float] = time.monotonic):
        self.on_upload = on_upload
        self.minutes = minutes
        self.clock = clock
        self.grants: dict[str, Grant] = {}
        self.lock = threading.Lock()
        self.httpd = _BoundedServer((host or lan_address(), port), _handler(self))
        self.httpd.daemon_threads = True
        self.storing = threading.Lock()  # one upload stored at a time: never "database is locked" for a phone
        self.accepting: Callable[[], bool] = lambda: True  # False while the desk is locked
        self.thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.httpd.server_address[:2]
        return str(host), int(port)

    def start(self) -> UploadServer:
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="upload-server", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self.thread:
            self.thread.join(timeout=5)

    def open_for(self, case_no: str) -> str:
        """A new random token for the case (replacing its earlier one), valid for `minutes`."""
        token = secrets.token_urlsafe(18)
        with self.lock:
            for old in [t for t, g in self.grants.items() if g.case_no == case_no]:
                del self.grants[old]
            self.grants[token] = Grant(case_no, self.clock() + self.minutes * 60)
        return token

    def url(self, token: str) -> str:
        host, port = self.address
        return f"http://{host}:{port}{PREFIX}{token}"

    def grant(self, token: str) -> tuple[Grant | None, str]:
        """The case a token opens, or None with the reason: unknown or expired."""
        with self.lock:
            grant = self.grants.get(token)
            if grant is None:
                return None, "unknown"
            if self.clock() >= grant.expires:
                del self.grants[token]
                return None, "expired"
            return grant, ""


def page(case_no: str, minutes: float) -> bytes:
    from app.core.resources import resource_path

    options = "".join(f'<option value="{k}">{html.escape(v)}</option>' for k, v in codes.ATTACHMENT_LABEL.items())
    text = resource_path("texts", "upload_page.html").read_text(encoding="utf-8")
    for key, value in (("{case_no}", html.escape(case_no)), ("{minutes}", f"{minutes:g}"), ("{options}", options),
                       ("{max_bytes}", str(attachments.MAX_BYTES))):
        text = text.replace(key, value)
    return text.encode("utf-8")


class _BoundedServer(ThreadingHTTPServer):
    """At most MAX_CONNECTIONS requests at once; one more is closed at once instead of queueing a thread."""

    def __init__(self, address, handler) -> None:
        super().__init__(address, handler)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            log.warning("upload server: connection from %s refused, %d already open", client_address[0],
                        MAX_CONNECTIONS)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


REFUSED = {"unknown": (403, "二维码无效，请让工作人员重新生成"), "expired": (410, "二维码已过期（10 分钟），请让工作人员重新生成")}


def _handler(server: UploadServer):
    class Handler(BaseHTTPRequestHandler):
        server_version = "LiaisonDesk"
        sys_version = ""
        timeout = READ_SECONDS  # the socket's timeout: reading a stalled request ends with a timeout

        def log_message(self, format, *args):  # noqa: A002 - no request log on the desk's console
            pass

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, status: int, message: str, **extra) -> None:
            body = json.dumps({"ok": status == 200, "message": message, **extra}, ensure_ascii=False).encode()
            self._send(status, body, "application/json; charset=utf-8")

        def _not_found(self) -> None:
            self._send(404, "找不到此页面".encode(), "text/plain; charset=utf-8")

        def _token(self) -> str | None:
            path = urlsplit(self.path).path
            token = path[len(PREFIX):] if path.startswith(PREFIX) else ""
            return token if token and "/" not in token else None

        def do_GET(self):  # noqa: N802 - http.server's naming
            token = self._token()
            if token is None:
                return self._not_found()
            grant, why = server.grant(token)
            if grant is None:
                status, message = REFUSED[why]
                return self._send(status, f"<!doctype html><meta charset=utf-8><p>{message}</p>".encode(),
                                  "text/html; charset=utf-8")
            self._send(200, page(grant.case_no, server.minutes), "text/html; charset=utf-8")

        do_HEAD = do_GET

        def do_POST(self):  # noqa: N802
            token = self._token()
            if token is None:
                return self._not_found()
            try:
                length = int(self.headers.get("Content-Length") or -1)
            except ValueError:
                length = -1
            grant, why = server.grant(token)
            if grant is None:
                self._drain(length)
                status, message = REFUSED[why]
                return self._json(status, message)
            if not server.accepting():
                self._drain(length)
                return self._json(423, "工作台已锁定，暂停接收；请工作人员解锁后再上传")
            if length < 0:
                self.close_connection = True
                return self._json(411, "上传请求缺少长度，请重试")
            if length > attachments.MAX_BYTES:
                self._drain(length)
                return self._json(413, "文件超过 20 MB，未上传")
            query = parse_qs(urlsplit(self.path).query)
            name = (query.get("name") or ["照片.jpg"])[0][:200]
            label = (query.get("label") or ["other"])[0]
            try:
                data = self.rfile.read(length)
            except OSError:  # the phone stopped sending (timeout) or went away
                data = b""
            if len(data) != length:  # a body shorter than declared is a broken upload, never a file
                log.warning("upload for %s: %d of %d bytes arrived, refused", grant.case_no, len(data), length)
                self.close_connection = True
                return self._json(400, "上传没有完成（网络中断），请重新上传")
            try:  # on_upload checks the file (type by content, and that it reads through) before storing
                with server.storing:
                    server.on_upload(grant.case_no, name, data, label)
            except InputError as e:
                log.info("upload for %s refused: %s", grant.case_no, e)
                return self._json(415, "；".join(err.message for err in e.errors))
            except FieldError as e:
                log.info("upload for %s refused: %s", grant.case_no, e)
                return self._json(415 if e.field == "file" else 400, e.message)
            except Exception:  # the desk's side failed: logged in full, the phone told without details
                log.exception("upload for %s could not be stored", grant.case_no)
                return self._json(500, "联络点未能保存此文件，请告知工作人员")
            self._json(200, "已上传", name=name)

        def _drain(self, length: int) -> None:
            """Read and drop a refused body (up to 64 MB), so the phone gets the answer, not a reset."""
            if 0 < length <= 64 * 1024 * 1024:
                while length > 0:
                    chunk = self.rfile.read(min(length, 1024 * 1024))
                    if not chunk:
                        break
                    length -= len(chunk)
            else:
                self.close_connection = True

        def _refuse_method(self):
            self._not_found()

        do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    return Handler
