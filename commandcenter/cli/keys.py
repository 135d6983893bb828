"""``commandcenter keys …``: the CurveZMQ keys of the field server and its devices.

* ``keys init KEYS`` — the server keypair: ``KEYS/server.key``, ``KEYS/server.key_secret``;
* ``keys new-device ID --keys KEYS [--kind K]`` — ``KEYS/devices/ID.key`` and ``ID.key_secret``, allow-listed
  at once (a running server picks it up);
* ``keys revoke ID --keys KEYS`` — off the allow-list for ever; a running server drops its connection.

Secret files are written mode 0600. ``--json`` prints one object:
``{"keys", "server_key", "server_public"}``, ``{"device_id", "kind", "public_key", "secret_key"}``,
``{"device_id", "revoked"}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click


def _echo(obj: Any, as_json: bool, text: str) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, allow_nan=False) if as_json else text)


def _store(keys: Path) -> Any:
    from comms.keys import KeyStore

    return KeyStore(keys)


@click.group()
def keys() -> None:
    """CurveZMQ keys of the field server and its devices."""


@keys.command("init")
@click.argument("keys_dir", metavar="KEYS", type=click.Path(path_type=Path, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def keys_init(keys_dir: Path, as_json: bool) -> None:
    """Create the key store KEYS with the server keypair (never overwrites one)."""
    from comms.keys import KeyStore, KeyStoreError

    try:
        ks = KeyStore.init(keys_dir)
    except (KeyStoreError, OSError) as exc:
        raise click.ClickException(f"keys init {keys_dir}: {exc}") from None
    pub = ks.server_public().decode("ascii")
    _echo({"keys": str(keys_dir), "server_key": str(keys_dir / "server.key"), "server_public": pub}, as_json,
          f"created {keys_dir}/server.key and server.key_secret (public key {pub})")


@keys.command("new-device")
@click.argument("device_id", metavar="ID")
@click.option("--keys", "keys_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The key store (made by 'keys init').")
@click.option("--kind", default=None, help="Device kind kept in its certificate: phone, gateway, detector, reader.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def keys_new_device(device_id: str, keys_dir: Path, kind: str | None, as_json: bool) -> None:
    """Create and allow-list the keypair of device ID."""
    from comms.keys import KeyStoreError

    try:
        pub, sec = _store(keys_dir).new_device(device_id, kind)
    except (KeyStoreError, OSError) as exc:
        raise click.ClickException(f"keys new-device {device_id}: {exc}") from None
    _echo({"device_id": device_id, "kind": kind, "public_key": str(pub), "secret_key": str(sec)}, as_json,
          f"device {device_id}: {pub} (secret {sec}, mode 0600); allow-listed")


@keys.command("revoke")
@click.argument("device_id", metavar="ID")
@click.option("--keys", "keys_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The key store.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def keys_revoke(device_id: str, keys_dir: Path, as_json: bool) -> None:
    """Revoke device ID: refused from now on; a running server drops its connection at once."""
    from comms.keys import KeyStoreError

    try:
        dest = _store(keys_dir).revoke(device_id)
    except (KeyStoreError, OSError) as exc:
        raise click.ClickException(f"keys revoke {device_id}: {exc}") from None
    _echo({"device_id": device_id, "revoked": str(dest)}, as_json, f"revoked {device_id} (key kept in {dest})")


COMMANDS = (keys,)
