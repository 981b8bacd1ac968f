"""The bundle's stand-in for the part of ``cryptography`` SecretStorage uses
(build/openssl_aes.py): the same cipher as ``cryptography``, every name SecretStorage
imports, and the keyring's Secret Service backend working through it."""

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import secretstorage
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build"))

import openssl_aes  # noqa: E402


def real(key: bytes, iv: bytes, data: bytes, encrypt: bool) -> bytes:
    cipher = Cipher(algorithms.AES(key), modes.CBC(iv))
    context = cipher.encryptor() if encrypt else cipher.decryptor()
    return context.update(data) + context.finalize()


def stand_in(key: bytes, iv: bytes, data: bytes, encrypt: bool, split: int) -> bytes:
    cipher = openssl_aes.Cipher(openssl_aes.AES(key), openssl_aes.CBC(iv),
                                openssl_aes.default_backend())
    context = cipher.encryptor() if encrypt else cipher.decryptor()
    return context.update(data[:split]) + context.update(data[split:]) + context.finalize()


@given(key=st.sampled_from([16, 24, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n)),
       iv=st.binary(min_size=16, max_size=16),
       blocks=st.integers(0, 20).flatmap(lambda n: st.binary(min_size=16 * n,
                                                             max_size=16 * n)),
       split=st.integers(0, 400), encrypt=st.booleans())
def test_the_cipher_is_cryptographys_aes_cbc(key, iv, blocks, split, encrypt):
    assert stand_in(key, iv, blocks, encrypt, split) == real(key, iv, blocks, encrypt)


def test_input_that_does_not_fill_whole_blocks_is_refused_at_the_end():
    encryptor = openssl_aes.Cipher(openssl_aes.AES(b"k" * 16), openssl_aes.CBC(b"i" * 16)) \
        .encryptor()
    encryptor.update(b"17 bytes of data!")
    with pytest.raises(ValueError, match="multiple of the block length"):
        encryptor.finalize()


@pytest.mark.parametrize("key, iv", [(b"k" * 15, b"i" * 16), (b"k" * 16, b"i" * 8)])
def test_bad_key_or_iv_sizes_are_refused(key, iv):
    with pytest.raises(ValueError):
        openssl_aes.Cipher(openssl_aes.AES(key), openssl_aes.CBC(iv))


def _cryptography_imports_of_secretstorage() -> set[tuple[str, str]]:
    found = set()
    for path in Path(secretstorage.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "cryptography"):
                found.update((node.module, alias.name) for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update((alias.name, "") for alias in node.names
                             if alias.name.startswith("cryptography"))
    return found


def test_every_name_secretstorage_imports_is_there():
    """A SecretStorage release that uses more of cryptography fails here, not in the
    bundle on a user's desktop."""
    made = openssl_aes.modules()
    wanted = _cryptography_imports_of_secretstorage()
    assert wanted, "SecretStorage no longer imports cryptography: drop the stand-in"
    for module, name in wanted:
        assert module in made, module
        assert not name or hasattr(made[module], name), f"{module}.{name}"


KEYRING_CLIENT = """
import sys
sys.path.insert(0, {build!r})
import openssl_aes
sys.meta_path.insert(0, openssl_aes.StandInFinder())  # ahead of the real cryptography
import secretstorage.util
assert secretstorage.util.Cipher is openssl_aes.Cipher
from keyring.backends.SecretService import Keyring
ring = Keyring()
assert ring.priority > 0
ring.set_password("desk-app", "alice@db:5432/team", "s3cr\\u00e9t pass")
print(ring.get_password("desk-app", "alice@db:5432/team"))
"""

SESSION = """
import subprocess, sys, time
from pathlib import Path
log = Path({log!r})
service = subprocess.Popen([sys.executable, {service!r}, str(log)], stdout=subprocess.PIPE,
                           text=True)
assert service.stdout.readline().strip() == "ready"
try:
    client = subprocess.run([sys.executable, "-c", {client!r}], capture_output=True,
                            text=True, timeout=60)
    sys.stdout.write(client.stdout)
    sys.stderr.write(client.stderr)
    sys.exit(client.returncode)
finally:
    service.kill()
"""


@pytest.mark.skipif(shutil.which("dbus-run-session") is None, reason="needs dbus-daemon")
def test_the_keyring_stores_and_reads_a_password_through_the_stand_in(tmp_path):
    """SecretStorage with the stand-in against a Secret Service that decrypts with the
    real cryptography: the password arrives intact and comes back intact."""
    log = tmp_path / "secrets.log"
    client = textwrap.dedent(KEYRING_CLIENT).format(build=str(ROOT / "build"))
    session = textwrap.dedent(SESSION).format(
        log=str(log), service=str(Path(__file__).with_name("fake_secret_service.py")),
        client=client)
    done = subprocess.run(["dbus-run-session", "--", sys.executable, "-c", session],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "s3cr\u00e9t pass"
    assert "\ts3cr\u00e9t pass\n" in log.read_text()


def test_the_stand_in_works_without_docstrings():
    """The bundle is byte-compiled with optimize=2 (no docstrings)."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import openssl_aes; "
            "made = openssl_aes.modules(); "
            "print(made['cryptography.hazmat.primitives.ciphers'].Cipher.__name__)")
    done = subprocess.run([sys.executable, "-OO", "-c", code, str(ROOT / "build")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Cipher"
