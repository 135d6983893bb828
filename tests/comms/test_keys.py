"""The key store: pyzmq certificate files, secrets readable only by their owner, allow-list and revocation."""

from __future__ import annotations

import shutil
import stat

import pytest
import zmq
import zmq.auth
import zmq.utils.z85

from comms.keys import KeyStore, KeyStoreError


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_writes_the_server_pair_in_pyzmq_format_with_a_private_secret(tmp_path) -> None:
    ks = KeyStore.init(tmp_path / "K")
    pub, sec = zmq.auth.load_certificate(tmp_path / "K" / "server.key_secret")
    assert (pub, sec) == (ks.server_keys().public, ks.server_keys().secret)
    assert zmq.auth.load_certificate(tmp_path / "K" / "server.key") == (pub, None)
    assert zmq.curve_public(sec) == pub
    assert mode(tmp_path / "K" / "server.key_secret") == 0o600


def test_init_never_overwrites_a_server_key(tmp_path) -> None:
    KeyStore.init(tmp_path / "K")
    before = (tmp_path / "K" / "server.key").read_bytes()
    with pytest.raises(KeyStoreError, match="already holds a server key"):
        KeyStore.init(tmp_path / "K")
    assert (tmp_path / "K" / "server.key").read_bytes() == before


def test_new_device_is_allow_listed_under_its_id(tmp_path) -> None:
    ks = KeyStore.init(tmp_path / "K")
    pub_path, sec_path = ks.new_device("PH-0001")
    assert pub_path == tmp_path / "K" / "devices" / "PH-0001.key"
    assert sec_path == tmp_path / "K" / "devices" / "PH-0001.key_secret"
    assert mode(sec_path) == 0o600
    raw = zmq.utils.z85.decode(zmq.auth.load_certificate(pub_path)[0])
    assert ks.allow_list() == {raw: "PH-0001"}
    assert not [p for p in (tmp_path / "K").iterdir() if p.name.startswith(".new-")]


@pytest.mark.parametrize("bad", ["", "a b", "x" * 65, "../escape", "名字"])
def test_new_device_refuses_ids_outside_the_spec(tmp_path, bad: str) -> None:
    ks = KeyStore.init(tmp_path / "K")
    with pytest.raises(KeyStoreError, match="device id"):
        ks.new_device(bad)


def test_a_device_id_gets_one_key_until_revoked(tmp_path) -> None:
    ks = KeyStore.init(tmp_path / "K")
    ks.new_device("D1")
    with pytest.raises(KeyStoreError, match="already has a key"):
        ks.new_device("D1")


def test_revoked_key_stays_refused_even_if_copied_back(tmp_path) -> None:
    ks = KeyStore.init(tmp_path / "K")
    pub, _ = ks.new_device("D1")
    ks.new_device("D2")
    saved = tmp_path / "saved.key"
    shutil.copy(pub, saved)
    stamp = ks.stamp()
    ks.revoke("D1")
    assert ks.stamp() != stamp
    assert sorted(ks.allow_list().values()) == ["D2"]
    assert not (tmp_path / "K" / "devices" / "D1.key_secret").exists()
    shutil.copy(saved, pub)
    assert sorted(ks.allow_list().values()) == ["D2"]


def test_revoked_id_may_be_enrolled_again_with_a_new_key(tmp_path) -> None:
    ks = KeyStore.init(tmp_path / "K")
    old = zmq.auth.load_certificate(ks.new_device("D1")[0])[0]
    ks.revoke("D1")
    new = zmq.auth.load_certificate(ks.new_device("D1")[0])[0]
    assert new != old
    assert list(ks.allow_list().values()) == ["D1"]
    assert zmq.utils.z85.decode(old) not in ks.allow_list()


def test_operations_on_a_folder_without_server_key_are_refused(tmp_path) -> None:
    with pytest.raises(KeyStoreError, match="not a key store"):
        KeyStore(tmp_path).new_device("D1")
