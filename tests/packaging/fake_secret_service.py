"""A desktop's Secret Service in miniature, for the keyring checks: one unlocked
collection, the DH-encrypted session SecretStorage opens (AES from the real
``cryptography``, so the bundle's stand-in is checked against it), items kept in memory.

    python tests/packaging/fake_secret_service.py LOGFILE

runs on the session bus in DBUS_SESSION_BUS_ADDRESS and appends every secret it
receives, decrypted, to LOGFILE as "label<TAB>secret" lines.
"""

import hmac
import os
import sys
from hashlib import sha256

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from secretstorage.dhcrypto import DH_PRIME_1024

ROOT = "/org/freedesktop/secrets"
COLLECTION = f"{ROOT}/collection/login"
DEFAULT_ALIAS = f"{ROOT}/aliases/default"
SESSION = f"{ROOT}/session/1"
PREFIX = "org.freedesktop.Secret."


class Service:
    """The state: one session key, the items by path."""

    def __init__(self, log_path: str) -> None:
        self.key = b""
        self.items: dict[str, dict] = {}
        self.log_path = log_path

    def open_session(self, algorithm: str, value: tuple) -> tuple:
        if algorithm == "plain":
            return ("s", ""), SESSION
        private = int.from_bytes(os.urandom(128), "big")
        shared = pow(int.from_bytes(value[1], "big"), private, DH_PRIME_1024)
        prk = hmac.new(b"\0" * 32, shared.to_bytes(128, "big"), sha256).digest()
        self.key = hmac.new(prk, b"\x01", sha256).digest()[:16]
        return ("ay", pow(2, private, DH_PRIME_1024).to_bytes(128, "big")), SESSION

    def create_item(self, properties: dict, secret: tuple, replace: bool) -> tuple:
        attributes = properties[PREFIX + "Item.Attributes"][1]
        label = properties[PREFIX + "Item.Label"][1]
        _, iv, encrypted, content_type = secret
        decryptor = Cipher(algorithms.AES(self.key), modes.CBC(bytes(iv))).decryptor()
        padded = decryptor.update(bytes(encrypted)) + decryptor.finalize()
        plain = padded[:-padded[-1]]
        with open(self.log_path, "a") as log:
            log.write(f"{label}\t{plain.decode()}\n")
        path = next((p for p, item in self.items.items()
                     if replace and item["attributes"] == attributes),
                    f"{COLLECTION}/{len(self.items) + 1}")
        self.items[path] = {"attributes": attributes, "label": label, "secret": plain,
                            "content_type": content_type}
        return path, "/"

    def search(self, attributes: dict) -> list[str]:
        return [path for path, item in self.items.items()
                if all(item["attributes"].get(k) == v for k, v in attributes.items())]

    def get_secret(self, path: str) -> tuple:
        item = self.items[path]
        with open(self.log_path, "a") as log:
            log.write(f"{item['label']}\tread\n")
        iv = os.urandom(16)
        padding = 16 - len(item["secret"]) % 16
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(iv)).encryptor()
        encrypted = encryptor.update(item["secret"] + bytes([padding]) * padding) \
            + encryptor.finalize()
        return ((SESSION, iv, encrypted, item["content_type"]),)

    def reply(self, path: str, interface: str, member: str, body: tuple):
        """(signature, body) of the answer, or None for an unknown call."""
        path = COLLECTION if path == DEFAULT_ALIAS else path
        if interface == "org.freedesktop.DBus.Properties" and member == "Get":
            name = body[1]
            if path == COLLECTION:
                values = {"Locked": ("b", False), "Label": ("s", "Login"),
                          "Items": ("ao", list(self.items))}
            elif path in self.items:
                item = self.items[path]
                values = {"Locked": ("b", False), "Label": ("s", item["label"]),
                          "Attributes": ("a{ss}", item["attributes"])}
            else:
                return None
            return "v", (values[name],)
        calls = {
            (ROOT, "Service", "OpenSession"): ("vo", lambda: self.open_session(*body)),
            (ROOT, "Service", "ReadAlias"): ("o", lambda: (COLLECTION,)),
            (ROOT, "Service", "Unlock"): ("aoo", lambda: (body[0], "/")),
            (ROOT, "Service", "SearchItems"): ("aoao", lambda: (self.search(body[0]), [])),
            (COLLECTION, "Collection", "CreateItem"): ("oo", lambda: self.create_item(*body)),
            (COLLECTION, "Collection", "SearchItems"): ("ao", lambda: (self.search(body[0]),)),
        }
        where = path if path in (ROOT, COLLECTION) else "item"
        if where == "item" and path in self.items:
            calls[("item", "Item", "GetSecret")] = ("(oayays)", lambda: self.get_secret(path))
        found = calls.get((where, interface.removeprefix(PREFIX), member))
        return (found[0], found[1]()) if found else None


def serve(log_path: str) -> None:
    """Answers Secret Service calls until the bus goes away."""
    service = Service(log_path)
    with open_dbus_connection("SESSION") as connection:
        connection.send_and_get_reply(message_bus.RequestName("org.freedesktop.secrets"))
        print("ready", flush=True)
        while True:
            message = connection.receive()
            if message.header.message_type != MessageType.method_call:
                continue
            fields = message.header.fields
            answer = service.reply(fields[HeaderFields.path],
                                   fields.get(HeaderFields.interface, ""),
                                   fields[HeaderFields.member], message.body)
            if answer is None:
                connection.send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod"))
            else:
                connection.send(new_method_return(message, *answer))


if __name__ == "__main__":
    serve(sys.argv[1])
