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
