import json


def _ticket(run):
    code, out, err = run("log", "--summary", "Laptop will not boot", "--reporter", "Bob",
                         "--contact", "bob@example.com", "--channel", "phone", "--service",
                         "Workplace", "--impact", "low", "--urgency", "low",
                         "--description", "Black screen after the logo")
    assert code == 0, err
    return out.strip()


def test_attach_list_and_get(run, tmp_path):
    number = _ticket(run)
    photo = tmp_path / "bios screen.jpg"
    photo.write_bytes(b"\xff\xd8 jpeg bytes")
    log = tmp_path / "boot.log"
    log.write_text("no bootable device\n")
    code, out, err = run("attach", number, str(photo), str(log))
    assert code == 0, err
    assert f"{number}: attached bios screen.jpg (13 B) as " in out
    code, out, err = run("attachments", number, "--json")
    listed = json.loads(out)
    assert [(a["name"], a["size"], a["by"], a["source"], a["on_this_desk"]) for a in listed] \
        == [("bios screen.jpg", 13, "alice", "upload", True),
            ("boot.log", 19, "alice", "upload", True)]
    code, out, err = run("attachments", number)
    assert "bios screen.jpg  13 B  alice" in out and "(2 attachments)" in out

    folder = tmp_path / "out"
    folder.mkdir()
    code, out, err = run("attachment", "get", listed[0]["id"], "--out", str(folder))
    assert code == 0, err
    assert (folder / "bios screen.jpg").read_bytes() == b"\xff\xd8 jpeg bytes"
    code, out, err = run("attachment", "get", listed[0]["id"], "--out", str(folder))
    assert code == 2 and "exists; use --force" in err
    code, out, err = run("attachment", "get", listed[1]["id"], "--out",
                         str(folder / "bios screen.jpg"), "--force")
    assert code == 0, err
    assert (folder / "bios screen.jpg").read_text() == "no bootable device\n"


def test_refusals_name_the_problem_and_attach_nothing(run, tmp_path):
    number = _ticket(run)
    run("policy", "set", "--file", str(_policy(tmp_path)))
    big = tmp_path / "big.bin"
    big.write_bytes(b"\0" * (1024 * 1024 + 10))
    code, out, err = run("attach", number, str(big))
    assert code == 2 and "over the limit of 1 MB" in err and "Traceback" not in err
    code, out, err = run("attach", number, str(tmp_path / "missing.txt"))
    assert code == 2 and "does not exist" in err
    code, out, err = run("attachment", "get", "nope", "--out", str(tmp_path))
    assert code == 2 and "no attachment" in err
    code, out, err = run("attachments", number, "--json")
    assert json.loads(out) == []


def _policy(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text("[attachments]\nmax_size_mb = 1\n", encoding="utf-8")
    return path
