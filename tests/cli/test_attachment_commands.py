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


def test_get_refuses_a_blank_out_and_a_path_under_a_plain_file_writing_nothing(
        run, tmp_path, monkeypatch):
    number = _ticket(run)
    plain_file = tmp_path / "notes.txt"
    plain_file.write_text("mine\n", encoding="utf-8")
    code, _, err = run("attach", number, str(plain_file))
    assert code == 0, err
    code, out, _ = run("attachments", number, "--json")
    attachment_id = json.loads(out)[0]["id"]
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    for out_path in ("", "  "):
        code, _, err = run("attachment", "get", attachment_id, "--out", out_path)
        assert code == 2 and "refused: out: the path is blank" in err, err
    assert list(here.iterdir()) == []
    for out_path in (plain_file / "copy.txt", plain_file / "deeper" / "copy.txt"):
        code, _, err = run("attachment", "get", attachment_id, "--out", str(out_path))
        assert code == 2 and f"out: {plain_file} is a file, not a folder" in err, err
    assert plain_file.read_text(encoding="utf-8") == "mine\n"


def _policy(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text("[attachments]\nmax_size_mb = 1\n", encoding="utf-8")
    return path


def _exported_desk(run, tmp_path):
    number = _ticket(run)
    shot = tmp_path / "screen.png"
    shot.write_bytes(b"\x89PNG picture bytes")
    run("attach", number, str(shot))
    code, _out, err = run("export", "--format", "json", "--out", str(tmp_path / "t.json"))
    assert code == 0, err
    return number


def test_a_json_export_carries_attachments_in_a_zip_beside_it(run, tmp_path, monkeypatch):
    import zipfile

    number = _exported_desk(run, tmp_path)
    archive = tmp_path / "t.attachments.zip"
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
    assert names[0] == "manifest.json" and len(names) == 2
    monkeypatch.setenv("DESK_APP_DATA_DIR", str(tmp_path / "other desk"))
    code, out, err = run("import", str(tmp_path / "t.json"))
    assert code == 0, err
    assert "1 attachment(s) restored" in out + err
    code, out, err = run("attachments", number, "--json")
    [restored] = json.loads(out)
    assert (restored["name"], restored["by"], restored["on_this_desk"]) == (
        "screen.png", "alice", True)
    run("attachment", "get", restored["id"], "--out", str(tmp_path / "back.png"))
    assert (tmp_path / "back.png").read_bytes() == b"\x89PNG picture bytes"


def test_an_archive_whose_content_does_not_match_its_hash_imports_nothing(run, tmp_path,
                                                                          monkeypatch):
    import zipfile

    _exported_desk(run, tmp_path)
    archive = tmp_path / "t.attachments.zip"
    with zipfile.ZipFile(archive) as opened:
        members = {name: opened.read(name) for name in opened.namelist()}
    with zipfile.ZipFile(archive, "w") as rewritten:
        for name, data in members.items():
            rewritten.writestr(name, data if name == "manifest.json" else b"tampered")
    monkeypatch.setenv("DESK_APP_DATA_DIR", str(tmp_path / "other desk"))
    code, out, err = run("import", str(tmp_path / "t.json"))
    assert code == 2 and "does not match its SHA-256" in err
    code, out, err = run("list", "--json")
    assert json.loads(out or "[]") == []
