"""`liaison phrases`: list (all, or for one text box), add, edit, remove (a supervisor's), in JSON too."""
import json


def run(cli, *args):
    code, out, err = cli(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_list_add_edit_remove(store, cli, monkeypatch):
    listed = run(cli, "phrases", "list")
    assert {"七日", "三包", "预付卡", "假客服", "食品标签"} <= {p["title"] for p in listed}
    assert set(listed[0]) == {"id", "title", "text", "for"}
    follow = run(cli, "phrases", "list", "--for", "follow_up")
    assert {p["for"] for p in follow} <= {"follow_up", "all"} and follow

    added = run(cli, "phrases", "add", "--title", "保修", "--text", "保修期内可以要求修理。", "--for", "answer")
    assert added["title"] == "保修" and added["for"] == "answer"
    edited = run(cli, "phrases", "edit", str(added["id"]), "--for", "all")
    assert (edited["title"], edited["text"], edited["for"]) == ("保修", "保修期内可以要求修理。", "all")
    code, out, _ = cli("phrases", "list", "--for", "mediation")
    assert code == 0 and "保修\t通用\t保修期内可以要求修理。" in out
    assert run(cli, "phrases", "remove", str(added["id"])) == {"removed": added["id"]}
    assert added["id"] not in {p["id"] for p in run(cli, "phrases", "list")}


def test_wrong_input_and_staff_are_refused(store, cli, monkeypatch):
    code, _, err = cli("phrases", "add", "--title", "七日", "--text", "重复")
    assert code == 1 and "【phrase.title】已有简称为“七日”" in err
    code, _, err = cli("phrases", "add", "--title", "空", "--text", " ")
    assert code == 1 and "【phrase.body】请填写常用语的内容" in err
    code, _, err = cli("phrases", "list", "--for", "nowhere")
    assert code == 2
    monkeypatch.setenv("LIAISON_NEW_PASSWORD", "staff-pass-1")
    run(cli, "staff", "add", "liming", "--display", "李明", "--role", "staff")
    monkeypatch.setenv("LIAISON_PASSWORD", "staff-pass-1")
    code, out, err = cli("phrases", "list", "--staff", "liming")
    assert code == 0 and "七日" in out
    code, _, err = cli("phrases", "add", "--title", "新", "--text", "新内容", "--staff", "liming")
    assert code == 1 and "只有负责人可以修改常用语" in err and "李明" in err
    first = run(cli, "phrases", "list")[0]["id"]
    code, _, err = cli("phrases", "remove", str(first), "--staff", "liming")
    assert code == 1 and "只有负责人可以修改常用语" in err
