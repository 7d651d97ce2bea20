"""The phone upload server, tested with a real HTTP client against the real server on 127.0.0.1."""
import json
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest

from app.evidence.upload_server import UploadServer
from tests.conftest import complaint
from tests.evidence_files import jpeg, pdf, png


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def served(desk):
    no = desk.cases.add(complaint())["case_no"]
    clock = Clock()

    def store(case_no, name, data, label):
        desk.attachments.add(case_no, [(name, data)], label, via="手机上传")

    server = UploadServer(store, host="127.0.0.1", clock=clock).start()
    yield server, no, clock
    server.stop()


def _request(url: str, data: bytes | None = None, method: str | None = None):
    req = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def _post(url: str, name: str, data: bytes, label: str = "chat"):
    status, _h, body = _request(f"{url}?name={quote(name)}&label={label}", data, "POST")
    return status, json.loads(body)


def test_upload_page_and_upload(served, desk):
    server, no, _clock = served
    url = server.url(server.open_for(no))
    status, headers, body = _request(url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert no in page and "上传证据材料" in page and "聊天记录" in page
    assert _post(url, "截图.png", png()) == (200, {"ok": True, "message": "已上传", "name": "截图.png"})
    assert _post(url, "小票.pdf", pdf(), "receipt")[0] == 200
    stored = desk.attachments.list(no)
    assert [(a["name"], a["label"], a["staff"]) for a in stored] == [("截图.png", "chat", "测试员（手机上传）"),
                                                                     ("小票.pdf", "receipt", "测试员（手机上传）")]


def test_expired_and_wrong_tokens_are_refused(served, desk):
    server, no, clock = served
    token = server.open_for(no)
    status, _h, _b = _request(server.url("x" * 24))
    assert status == 403
    assert _post(server.url("x" * 24), "a.jpg", jpeg())[0] == 403
    clock.now += 10 * 60 + 1
    status, _h, body = _request(server.url(token))
    assert status == 410 and "过期" in body.decode()
    assert _post(server.url(token), "a.jpg", jpeg())[0] in (403, 410)
    assert desk.attachments.list(no) == []


def test_a_new_token_replaces_the_old_one(served):
    server, no, _clock = served
    old = server.open_for(no)
    new = server.open_for(no)
    assert _request(server.url(old))[0] == 403 and _request(server.url(new))[0] == 200


def test_oversize_and_wrong_type_uploads_are_refused(served, desk):
    server, no, _clock = served
    url = server.url(server.open_for(no))
    status, answer = _post(url, "big.jpg", jpeg() + b"\0" * (20 * 1024 * 1024))
    assert status == 413 and "20 MB" in answer["message"]
    status, answer = _post(url, "virus.exe", b"MZ\x90\x00" * 100)
    assert status == 415 and "不是可作附件的类型" in answer["message"]
    status, answer = _post(url, "fake.jpg", pdf())
    assert status == 415 and "内容与扩展名不符" in answer["message"]
    assert desk.attachments.list(no) == []


def test_nothing_else_is_served(served):
    server, no, _clock = served
    server.open_for(no)
    host, port = server.address
    for path in ("/", "/u/", "/u", "/etc/passwd", "/u/../", "/favicon.ico", "/resources/"):
        assert _request(f"http://{host}:{port}{path}")[0] == 404, path
    assert _request(f"http://{host}:{port}/", method="PUT", data=b"x")[0] == 404


def _raw(server, payload: bytes, close: bool = True) -> bytes:
    import socket

    sock = socket.create_connection(server.address, timeout=10)
    sock.sendall(payload)
    if close:
        sock.shutdown(socket.SHUT_WR)
    answer = b""
    try:
        while chunk := sock.recv(65536):
            answer += chunk
    except OSError:
        pass
    sock.close()
    return answer


def test_a_body_shorter_than_declared_is_not_stored(served, desk):
    """A POST declaring 20 MB that sends 3 bytes and closes was stored as a 4-byte "JPEG"."""
    server, no, _clock = served
    token = server.open_for(no)
    head = (f"POST /u/{token}?name=a.jpg&label=other HTTP/1.1\r\nHost: x\r\n"
            f"Content-Length: {20 * 1024 * 1024}\r\n\r\n").encode()
    answer = _raw(server, head + b"\xff\xd8\xff")
    assert b" 400 " in answer.split(b"\r\n")[0] and "没有完成".encode() in answer
    assert desk.attachments.list(no) == []


def test_a_file_that_only_starts_like_an_image_is_refused(served, desk):
    server, no, _clock = served
    url = server.url(server.open_for(no))
    status, body = _post(url, "photo.jpg", b"\xff\xd8\xff\xe0" + b"junk" * 100)
    assert status == 415 and "损坏" in body["message"]
    assert desk.attachments.list(no) == []


def test_stalled_requests_are_dropped_and_the_desk_still_answers(desk, monkeypatch):
    """31 half-sent requests held the server and the 32nd connect timed out: now each connection has a
    read timeout and there is a cap on how many are open; the server answers again right after."""
    import socket
    import time

    from app.evidence import upload_server

    monkeypatch.setattr(upload_server, "READ_SECONDS", 1)
    no = desk.cases.add(complaint())["case_no"]
    server = UploadServer(lambda *a: None, host="127.0.0.1").start()
    try:
        stalled = []
        for _ in range(40):
            sock = socket.create_connection(server.address, timeout=5)
            sock.sendall(b"POST /u/x HTTP/1.1\r\nHost: x\r\nContent-Le")  # and then nothing
            stalled.append(sock)
        time.sleep(2.5)  # past the read timeout
        for sock in stalled:  # every stalled connection was closed by the desk (timed out, or over the cap)
            sock.settimeout(2)
            try:
                closed = sock.recv(1024) == b""  # nothing was answered: the end of the stream
            except ConnectionResetError:
                closed = True
            except TimeoutError:  # still held open by the desk
                closed = False
            assert closed
            sock.close()
        status, _h, _body = _request(server.url(server.open_for(no)))
        assert status == 200
    finally:
        server.stop()


def test_many_uploads_at_once_are_all_stored_and_none_fails(served, desk):
    """20 concurrent uploads gave 8 HTTP 500 ("database is locked") before: they are stored one at a time."""
    from concurrent.futures import ThreadPoolExecutor

    server, no, _clock = served
    url = server.url(server.open_for(no))
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda i: _post(url, f"照片{i}.png", png())[0], range(12)))
    assert answers == [200] * 12
    assert len(desk.attachments.list(no)) == 12


def test_nothing_is_taken_while_the_desk_is_locked(served, desk):
    server, no, _clock = served
    server.accepting = lambda: not desk.accounts.locked
    url = server.url(server.open_for(no))
    desk.accounts.lock()
    status, body = _post(url, "截图.png", png())
    assert status == 423 and "锁定" in body["message"] and desk.attachments.list(no) == []
    desk.accounts.set_password("tester", "tester-pass-1")
    desk.accounts.unlock("tester", "tester-pass-1")
    assert _post(url, "截图.png", png())[0] == 200
