"""The key store: the center's CurveZMQ keypair and one keypair per device, in pyzmq's certificate format.

Layout (``shared/spec/field-protocol.md``, issue 15)::

    KEYS/server.key            the center's public key (given to every device)
    KEYS/server.key_secret     the center's secret key (mode 0600)
    KEYS/devices/ID.key        a device's public key: on the allow-list, bound to device id ID
    KEYS/devices/ID.key_secret the device's secret key (mode 0600; handed to the device)
    KEYS/revoked/ID.<stamp>.key  a revoked device's public key: refused for ever, even if re-listed

Files are written as ``zmq.auth.create_certificates`` writes them, inside a private (0700) temporary folder
of the store and then renamed into place, so a secret is never readable by others, not even for an instant,
and a running server never sees half a file. The allow-list maps each raw 32-byte public key (what the ZAP
handler receives) to its device id; :meth:`KeyStore.stamp` changes whenever a key is added or revoked, so a
running server reloads at once.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import zmq
import zmq.auth
import zmq.utils.z85

from comms.protocol import DEVICE_ID


class KeyStoreError(ValueError):
    """A key store operation that cannot be done (missing store, unknown or duplicate device, bad id)."""


@dataclass(frozen=True)
class KeyPair:
    """A CurveZMQ keypair, Z85 text as bytes (40 characters each)."""

    public: bytes
    secret: bytes


def _z85_raw(key: bytes) -> bytes:
    raw = zmq.utils.z85.decode(key)
    if len(raw) != 32:
        raise ValueError("not a 32-byte key")
    return raw


class KeyStore:
    """A key store folder (see the module docstring)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    @property
    def devices_dir(self) -> Path:
        """Where the allow-listed device keys are."""
        return self.root / "devices"

    @property
    def revoked_dir(self) -> Path:
        """Where revoked device keys are kept (refused for ever)."""
        return self.root / "revoked"

    # ------------------------------------------------------------------ creation
    @classmethod
    def init(cls, root: str | os.PathLike) -> KeyStore:
        """Create the store and the center's keypair. Refuses a store that already has a server key:
        replacing it would cut off every device holding the old public key."""
        store = cls(root)
        if (store.root / "server.key").exists() or (store.root / "server.key_secret").exists():
            raise KeyStoreError(f"{store.root} already holds a server key (keys are never overwritten)")
        if store.root.exists() and not store.root.is_dir():
            raise KeyStoreError(f"{store.root} exists and is not a folder")
        store.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        store.devices_dir.mkdir(mode=0o700, exist_ok=True)
        store.revoked_dir.mkdir(mode=0o700, exist_ok=True)
        store._create("server", store.root)
        return store

    def _create(self, name: str, dest: Path, metadata: dict[str, str] | None = None) -> tuple[Path, Path]:
        tmp = Path(tempfile.mkdtemp(prefix=".new-", dir=self.root))  # 0700: private while being written
        try:
            pub, sec = (Path(p) for p in zmq.auth.create_certificates(tmp, name, metadata))
            os.chmod(sec, 0o600)
            os.chmod(pub, 0o644)
            out_pub, out_sec = dest / pub.name, dest / sec.name
            os.replace(sec, out_sec)  # the secret first: when the public key appears, the pair is whole
            os.replace(pub, out_pub)
            return out_pub, out_sec
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _require(self) -> None:
        if not (self.root / "server.key").is_file():
            raise KeyStoreError(f"{self.root} is not a key store (no server.key; run 'commandcenter keys init')")

    def new_device(self, device_id: str, kind: str | None = None) -> tuple[Path, Path]:
        """Create and allow-list a keypair for ``device_id``; returns (public, secret) paths. A device id
        that is already allow-listed is refused (revoke it first to give it a new key). ``kind`` (``phone``,
        ``gateway``, ``detector``, ``reader`` …) is kept in the certificate's metadata."""
        self._require()
        if not isinstance(device_id, str) or not DEVICE_ID.fullmatch(device_id):
            raise KeyStoreError(f"device id {device_id!r} must be 1–64 characters of A–Z a–z 0–9 . _ -")
        self.devices_dir.mkdir(mode=0o700, exist_ok=True)
        if (self.devices_dir / f"{device_id}.key").exists():
            raise KeyStoreError(f"device {device_id!r} already has a key in {self.devices_dir}")
        if kind is not None and not DEVICE_ID.fullmatch(kind):
            raise KeyStoreError(f"device kind {kind!r} must be 1–64 characters of A–Z a–z 0–9 . _ -")
        return self._create(device_id, self.devices_dir, {"kind": kind} if kind else None)

    def device_kind(self, device_id: str) -> str | None:
        """The ``kind`` in a device certificate's metadata (None when absent or unreadable)."""
        try:
            text = (self.devices_dir / f"{device_id}.key").read_text(encoding="utf-8")
        except OSError:
            return None
        section = ""
        for line in text.splitlines():
            if line and not line[0].isspace() and not line.startswith("#"):
                section = line.strip()
            elif section == "metadata" and "=" in line:
                k, _, v = line.strip().partition("=")
                if k.strip() == "kind":
                    return v.strip().strip('"') or None
        return None

    def revoke(self, device_id: str) -> Path:
        """Take ``device_id`` off the allow-list for ever: its public key moves to ``revoked/`` (so the same
        key is refused even if copied back) and its secret file is deleted. Returns the revoked key's path."""
        self._require()
        pub = self.devices_dir / f"{device_id}.key"
        if not DEVICE_ID.fullmatch(str(device_id)) or not pub.is_file():
            raise KeyStoreError(f"no allow-listed device {device_id!r} in {self.devices_dir}")
        self.revoked_dir.mkdir(mode=0o700, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        dest = self.revoked_dir / f"{device_id}.{stamp}.key"
        os.replace(pub, dest)
        (self.devices_dir / f"{device_id}.key_secret").unlink(missing_ok=True)
        return dest

    # ------------------------------------------------------------------ reading
    def server_keys(self) -> KeyPair:
        """The center's keypair (needs both files)."""
        self._require()
        pub, sec = zmq.auth.load_certificate(self.root / "server.key_secret")
        if not sec:
            raise KeyStoreError(f"{self.root / 'server.key_secret'} holds no secret key")
        return KeyPair(pub, sec)

    def server_public(self) -> bytes:
        """The center's public key (what a device needs)."""
        self._require()
        return zmq.auth.load_certificate(self.root / "server.key")[0]

    def device_keys(self, device_id: str) -> KeyPair:
        """A device's keypair (the simulator's and a test device's credentials)."""
        path = self.devices_dir / f"{device_id}.key_secret"
        if not DEVICE_ID.fullmatch(str(device_id)) or not path.is_file():
            raise KeyStoreError(f"no secret key for device {device_id!r} in {self.devices_dir}")
        pub, sec = zmq.auth.load_certificate(path)
        if not sec:
            raise KeyStoreError(f"{path} holds no secret key")
        return KeyPair(pub, sec)

    def devices(self) -> list[str]:
        """The allow-listed device ids, sorted."""
        return sorted(self.allow_list().values())

    def revoked(self) -> dict[bytes, str]:
        """Revoked raw public keys → the device id they belonged to."""
        out: dict[bytes, str] = {}
        if self.revoked_dir.is_dir():
            for p in self.revoked_dir.glob("*.key"):
                try:
                    out[_z85_raw(zmq.auth.load_certificate(p)[0])] = p.name.split(".", 1)[0]
                except (OSError, ValueError):
                    continue
        return out

    def allow_list(self) -> dict[bytes, str]:
        """Raw 32-byte public key → device id, for every allow-listed key that was never revoked.
        An unreadable key file is skipped (that device cannot connect), never a crash."""
        revoked = self.revoked()
        out: dict[bytes, str] = {}
        if not self.devices_dir.is_dir():
            return out
        for p in sorted(self.devices_dir.glob("*.key")):
            device_id = p.name[:-4]
            if not DEVICE_ID.fullmatch(device_id):
                continue
            try:
                raw = _z85_raw(zmq.auth.load_certificate(p)[0])
            except (OSError, ValueError):
                continue
            if raw not in revoked:
                out[raw] = device_id
        return out

    def stamp(self) -> tuple[int, ...]:
        """Changes whenever a key is added, replaced or revoked (folder modification times and sizes)."""
        out: list[int] = []
        for d in (self.devices_dir, self.revoked_dir):
            try:
                st = d.stat()
                out += [st.st_mtime_ns, st.st_ino, len(os.listdir(d))]
            except OSError:
                out += [0, 0, 0]
        return tuple(out)
