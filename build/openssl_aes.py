"""AES-CBC from the OpenSSL library the bundle already carries, standing in for the one
corner of ``cryptography`` that SecretStorage (the keyring's Linux backend) uses.

SecretStorage encrypts the password it hands to the desktop's Secret Service with
AES-128-CBC (``Cipher(algorithms.AES(key), modes.CBC(iv), default_backend())``, padding
done by SecretStorage itself); everything else it does, the Diffie-Hellman exchange
included, is plain Python. ``cryptography`` brings 14 MB (its Rust extension and cffi)
for those two calls. The bundle leaves it out and ``install`` registers these modules
under its names, doing the same cipher with the libcrypto that Python's ``_hashlib``
and ``_ssl`` load (OpenSSL's EVP interface, the code ``cryptography`` itself calls).

``install`` (the bundle's runtime hook) only adds a finder at the end of the import
path: nothing is loaded until something imports ``cryptography``, and a real
``cryptography``, where one is installed, wins. Only the names SecretStorage imports
exist; anything else of ``cryptography`` is an ImportError, as if it were not installed.
"""

import sys
import types
from importlib.machinery import ModuleSpec

# the stand-in modules' own docstring (this module's is gone in an optimize=2 bundle)
STAND_IN_DOC = "AES-CBC from the bundled OpenSSL, standing in for cryptography's."
BLOCK = 16
_KEY_SIZES = {16: "EVP_aes_128_cbc", 24: "EVP_aes_192_cbc", 32: "EVP_aes_256_cbc"}
_libcrypto = None  # ctypes.CDLL, loaded on the first cipher


def _loaded_libcrypto() -> str:
    """The path of the libcrypto that Python's _hashlib loaded (Linux)."""
    import _hashlib  # noqa: F401  (loads the bundle's libcrypto)

    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split(maxsplit=5)[-1].strip()
            if "/libcrypto.so" in path:
                return path
    return "libcrypto.so.3"


def _openssl():
    """OpenSSL's libcrypto through ctypes (the one Python's hashlib uses)."""
    global _libcrypto
    if _libcrypto is None:
        import ctypes

        lib = ctypes.CDLL(_loaded_libcrypto())
        lib.EVP_CIPHER_CTX_new.restype = ctypes.c_void_p
        lib.EVP_CIPHER_CTX_free.argtypes = [ctypes.c_void_p]
        lib.EVP_CipherInit_ex.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                                          ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
        lib.EVP_CIPHER_CTX_set_padding.argtypes = [ctypes.c_void_p, ctypes.c_int]
        lib.EVP_CipherUpdate.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                         ctypes.POINTER(ctypes.c_int), ctypes.c_char_p,
                                         ctypes.c_int]
        lib.EVP_CipherFinal_ex.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                           ctypes.POINTER(ctypes.c_int)]
        for name in _KEY_SIZES.values():
            getattr(lib, name).restype = ctypes.c_void_p
        _libcrypto = lib
    return _libcrypto


class AES:
    """The key of an AES cipher (128, 192 or 256 bits)."""

    block_size = BLOCK * 8

    def __init__(self, key: bytes) -> None:
        if len(key) not in _KEY_SIZES:
            raise ValueError(f"Invalid key size ({len(key) * 8}) for AES.")
        self.key = bytes(key)


class CBC:
    """Cipher block chaining with a 16-byte initialisation vector."""

    def __init__(self, initialization_vector: bytes) -> None:
        if len(initialization_vector) != BLOCK:
            raise ValueError("Invalid IV size for CBC.")
        self.initialization_vector = bytes(initialization_vector)


class _Context:
    """One encryption or decryption, without padding: the input must fill whole blocks."""

    def __init__(self, algorithm: AES, mode: CBC, encrypt: bool) -> None:
        import ctypes

        self._ctx = None
        self._ctypes = ctypes
        self._lib = _openssl()
        self._ctx = self._lib.EVP_CIPHER_CTX_new()
        cipher = getattr(self._lib, _KEY_SIZES[len(algorithm.key)])()
        if not self._ctx or not self._lib.EVP_CipherInit_ex(
                self._ctx, cipher, None, algorithm.key, mode.initialization_vector,
                int(encrypt)):
            self._free()
            raise RuntimeError("OpenSSL could not set up AES-CBC")
        self._lib.EVP_CIPHER_CTX_set_padding(self._ctx, 0)

    def update(self, data: bytes) -> bytes:
        """The blocks of ``data`` that are complete so far, processed."""
        if self._ctx is None:
            raise ValueError("Context was already finalized.")
        ctypes = self._ctypes
        data = bytes(data)
        out = ctypes.create_string_buffer(len(data) + BLOCK)
        written = ctypes.c_int(0)
        if not self._lib.EVP_CipherUpdate(self._ctx, out, ctypes.byref(written), data,
                                          len(data)):
            raise RuntimeError("OpenSSL AES-CBC failed")
        return out.raw[:written.value]

    def finalize(self) -> bytes:
        """Ends the operation; refuses input that did not fill whole blocks."""
        if self._ctx is None:
            raise ValueError("Context was already finalized.")
        ctypes = self._ctypes
        out = ctypes.create_string_buffer(BLOCK)
        written = ctypes.c_int(0)
        ok = self._lib.EVP_CipherFinal_ex(self._ctx, out, ctypes.byref(written))
        self._free()
        if not ok:
            raise ValueError("The length of the provided data is not a multiple of "
                             "the block length.")
        return out.raw[:written.value]

    def _free(self) -> None:
        if self._ctx:
            self._lib.EVP_CIPHER_CTX_free(self._ctx)
        self._ctx = None

    def __del__(self) -> None:
        self._free()


class Cipher:
    """An AES-CBC cipher: ``encryptor()`` and ``decryptor()`` as in ``cryptography``."""

    def __init__(self, algorithm: AES, mode: CBC, backend: object = None) -> None:
        if not isinstance(algorithm, AES) or not isinstance(mode, CBC):
            raise TypeError("only AES in CBC mode is available in this bundle")
        self.algorithm, self.mode = algorithm, mode

    def encryptor(self) -> _Context:
        return _Context(self.algorithm, self.mode, encrypt=True)

    def decryptor(self) -> _Context:
        return _Context(self.algorithm, self.mode, encrypt=False)


def default_backend() -> object:
    """``cryptography``'s backend argument, which it ignores too."""
    return None


def modules() -> dict[str, types.ModuleType]:
    """The ``cryptography`` modules SecretStorage imports, by name."""
    made: dict[str, types.ModuleType] = {}
    contents: dict[str, dict[str, object]] = {
        "cryptography": {},
        "cryptography.hazmat": {},
        "cryptography.hazmat.backends": {"default_backend": default_backend},
        "cryptography.hazmat.primitives": {},
        "cryptography.hazmat.primitives.ciphers.algorithms": {"AES": AES},
        "cryptography.hazmat.primitives.ciphers.modes": {"CBC": CBC},
        "cryptography.hazmat.primitives.ciphers": {"Cipher": Cipher},
    }
    for name, attributes in contents.items():
        module = types.ModuleType(name, STAND_IN_DOC)
        module.__dict__.update(attributes)
        if not name.endswith(("algorithms", "modes")):
            module.__path__ = []  # a package, so its submodules resolve
        made[name] = module
    for name, module in made.items():
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(made[parent], child, module)
    return made


class _Loader:
    """Hands out one of the modules made by ``modules``."""

    def __init__(self, module: types.ModuleType) -> None:
        self.module = module

    def create_module(self, _spec: ModuleSpec) -> types.ModuleType:
        return self.module

    def exec_module(self, _module: types.ModuleType) -> None:
        pass


class StandInFinder:
    """An import finder for the ``cryptography`` names SecretStorage uses."""

    def __init__(self) -> None:
        self._modules: dict[str, types.ModuleType] | None = None

    def find_spec(self, name: str, _path: object = None,
                  _target: object = None) -> ModuleSpec | None:
        if name != "cryptography" and not name.startswith("cryptography."):
            return None
        if self._modules is None:
            self._modules = modules()
        module = self._modules.get(name)
        if module is None:
            return None
        return ModuleSpec(name, _Loader(module), is_package=hasattr(module, "__path__"))


def install() -> None:
    """Puts the stand-in last on the import path (a real ``cryptography`` comes first)."""
    if not any(isinstance(finder, StandInFinder) for finder in sys.meta_path):
        sys.meta_path.append(StandInFinder())
