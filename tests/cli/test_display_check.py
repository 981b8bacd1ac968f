"""The window command on X11 with a system library missing: one clear message naming it
and the package, exit code 1, before Qt starts."""

from desk_app.ui import display_libraries


def test_the_window_says_which_library_to_install(run, monkeypatch):
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(display_libraries, "missing_libraries",
                        lambda *_args: ["libxcb-cursor.so.0"])
    monkeypatch.setattr(display_libraries, "distribution_family", lambda _text: "arch")
    code, out, err = run()
    assert code == 1 and out == ""
    assert "libxcb-cursor.so.0" in err and "sudo pacman -S xcb-util-cursor" in err
    assert "Qt platform plugin" not in err
    code, _, err = run("selftest")
    assert code == 1 and "libxcb-cursor.so.0" in err
