# PyInstaller runtime hook: the bundle leaves `cryptography` out (build/exclusions.py);
# SecretStorage's AES comes from the bundled OpenSSL instead (build/openssl_aes.py).
import openssl_aes

openssl_aes.install()
