"""Personal data at rest: sealed under a key per customer; erasure destroys the key.

Where domain events become stored events, the ``SealingMapper`` replaces each personal field
(as the events declare them: ``domain.personal_data``) with a sealed value::

    {"sealed": base64(nonce + AES-GCM ciphertext), "customer": "<uuid>", "field": "<path>"}

The plaintext is the field's JSON as the store would have written it; the associated data
binds it to the event's aggregate id, topic, field path and customer, so a sealed value
copied to another event, field or customer does not open. Each customer's 256-bit data key
is kept wrapped (AES-GCM under the master key from settings) by a ``CustomerKeys`` adapter.

Erasure (crypto-shredding) destroys the wrapped key: every copy of the log, backups
included, then reads the customer's personal fields as erased (``ERASED``, or None for a
date), while decisions, dates and amounts stay for audit. A sealed value that fails to open
under a key that exists is refused loudly (``SealedValueRejected``): tampering or a wrong
master key is never mistaken for an erasure. A legal hold on the key refuses erasure.

The cryptography is the ``cryptography`` library's AES-GCM, never hand-rolled.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import (
    Cipher,
    Compressor,
    JSONTranscoder,
    Mapper,
    StoredEvent,
)
from eventsourcing.utils import get_topic, resolve_topic

from domain.errors import LegalHoldInForce
from domain.personal_data import (
    concerns_nobody,
    data_subject,
    erased_value,
    may_be_sealed,
    personal_paths,
)

_NONCE_BYTES = 12
_KEY_BYTES = 32
# Customers whose unwrapped keys one process keeps (about 300 bytes each), as many as the
# aggregates it keeps (aggregate_cache_size). The ten-minute soak (bench --only soak): the
# follower's memory grew 30 MiB in the second half with 100,000 entries, 11 MiB with 10,000.
KEY_CACHE_ENTRIES = 10_000


class SealedValueRejected(ValueError):
    """A sealed value did not open under its customer's key: tampered, moved or a wrong key."""


class UnknownDataSubject(ValueError):
    """An event carries personal data but names no customer to seal it for."""


class MissingCustomerKey(LookupError):
    """A sealed value names a customer this key store never had a key for (a wrong store)."""


def master_key_from(text: str) -> bytes:
    """The 32-byte master key from its base64 text (as settings hold it)."""
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError as error:
        raise ValueError(f"the personal data master key is not base64: {error}") from None
    if len(key) != _KEY_BYTES:
        raise ValueError(f"the personal data master key must be {_KEY_BYTES} bytes, not {len(key)}")
    return key


def seal(key: bytes, plaintext: bytes, associated: bytes) -> str:
    """AES-GCM under `key` with a fresh random nonce: base64(nonce + ciphertext + tag)."""
    nonce = os.urandom(_NONCE_BYTES)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plaintext, associated)).decode()


def unseal(key: bytes, sealed: str, associated: bytes) -> bytes:
    """The plaintext of a sealed value; refused loudly when it does not authenticate."""
    try:
        raw = base64.b64decode(sealed, validate=True)
        return AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], associated)
    except (InvalidTag, ValueError):
        raise SealedValueRejected(
            "a sealed personal field did not authenticate under its customer's key "
            "(tampered, moved to another event or field, or a different master key)"
        ) from None


# -- the port: customers' data keys -------------------------------------------------------


@dataclass(frozen=True)
class StoredKey:
    """One row of a key store: the wrapped key (None once erased) and the legal hold."""

    wrapped: bytes | None
    created_at: datetime
    erased_at: datetime | None
    legal_hold: bool


class CustomerKeys(ABC):
    """Each customer's data key, kept wrapped; erasing it makes their sealed fields unreadable."""

    @abstractmethod
    def key_for_sealing(self, customer_id: UUID) -> bytes | None:
        """The customer's data key, created on first use; None once erased."""

    @abstractmethod
    def key_for_opening(self, customer_id: UUID) -> bytes | None:
        """The customer's data key, or None once erased (MissingCustomerKey: never had one)."""

    @abstractmethod
    def erase(self, customer_id: UUID, at: datetime) -> None:
        """Destroy the customer's data key (LegalHoldInForce while a legal hold is set)."""

    @abstractmethod
    def set_legal_hold(self, customer_id: UUID, held: bool) -> None:
        """Set or clear the legal hold that refuses erasure of the key."""

    @abstractmethod
    def stored(self, customer_id: UUID) -> StoredKey | None:
        """The customer's row as stored (for checks and tests), if any."""

    def close(self) -> None:  # noqa: B027 (a store without connections has nothing to close)
        """Release connections."""


class WrappedCustomerKeys(CustomerKeys):
    """Keys wrapped under the master key, cached briefly; subclasses store the rows.

    A key read from the store is trusted for `cache_seconds`: another process's erasure is
    honoured here within that time (this process's own, at once). An erasure is final, so
    it is remembered while it stays in the cache, and the store says so again after.
    """

    def __init__(
        self,
        master_key: bytes,
        *,
        cache_seconds: float = 30.0,
        cache_entries: int = KEY_CACHE_ENTRIES,
    ) -> None:
        self._master = AESGCM(master_key)
        self._cache_seconds = cache_seconds
        self._cache_entries = cache_entries
        # Least recently used first: a long-running worker meets millions of customers, and an
        # unbounded cache would hold a key for each of them until the process died.
        self._cache: OrderedDict[UUID, tuple[bytes | None, float]] = OrderedDict()
        self._lock = threading.Lock()

    # -- the rows, as each database keeps them -----------------------------------------

    @abstractmethod
    def _insert(self, customer_id: UUID, wrapped: bytes, at: datetime) -> bool:
        """Insert a row unless the customer has one already; True when this one went in."""

    @abstractmethod
    def _erase_row(self, customer_id: UUID, at: datetime) -> bool:
        """Null the wrapped key unless held (a row is made if none); False when held."""

    @abstractmethod
    def _hold_row(self, customer_id: UUID, held: bool) -> None:
        """Set the legal hold flag of an existing row."""

    # -- the port -----------------------------------------------------------------------

    def _wrap(self, customer_id: UUID, key: bytes) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._master.encrypt(nonce, key, customer_id.bytes)

    def _unwrap(self, customer_id: UUID, wrapped: bytes) -> bytes:
        try:
            return self._master.decrypt(
                wrapped[:_NONCE_BYTES], wrapped[_NONCE_BYTES:], customer_id.bytes
            )
        except InvalidTag:
            raise SealedValueRejected(
                f"customer {customer_id}'s data key does not unwrap under this master key"
            ) from None

    def _cached(self, customer_id: UUID) -> tuple[bool, bytes | None]:
        with self._lock:
            entry = self._cache.get(customer_id)
            if entry is not None:
                self._cache.move_to_end(customer_id)
        if entry is None:
            return False, None
        key, read_at = entry
        if key is None or time.monotonic() - read_at < self._cache_seconds:
            return True, key
        return False, None

    def _remember(self, customer_id: UUID, key: bytes | None) -> bytes | None:
        with self._lock:
            self._cache[customer_id] = (key, time.monotonic())
            self._cache.move_to_end(customer_id)
            while len(self._cache) > self._cache_entries:
                self._cache.popitem(last=False)
        return key

    def _read(self, customer_id: UUID) -> tuple[bool, bytes | None]:
        row = self.stored(customer_id)
        if row is None:
            return False, None
        if row.wrapped is None:
            return True, self._remember(customer_id, None)
        return True, self._remember(customer_id, self._unwrap(customer_id, row.wrapped))

    def key_for_sealing(self, customer_id: UUID) -> bytes | None:
        """The customer's data key, created (and stored wrapped) on first use."""
        hit, key = self._cached(customer_id)
        if hit:
            return key
        found, key = self._read(customer_id)
        if found:
            return key
        new_key = AESGCM.generate_key(256)
        if self._insert(customer_id, self._wrap(customer_id, new_key), _now()):
            return self._remember(customer_id, new_key)
        found, key = self._read(customer_id)  # another process inserted first: theirs counts
        if not found:
            raise MissingCustomerKey(f"customer {customer_id}'s new key was not stored")
        return key

    def key_for_opening(self, customer_id: UUID) -> bytes | None:
        """The customer's data key, or None once erased."""
        hit, key = self._cached(customer_id)
        if hit:
            return key
        found, key = self._read(customer_id)
        if not found:
            raise MissingCustomerKey(
                f"no data key was ever stored for customer {customer_id}: is this the key "
                "store of this event store?"
            )
        return key

    def erase(self, customer_id: UUID, at: datetime) -> None:
        """Destroy the wrapped key, unless a legal hold is set."""
        if not self._erase_row(customer_id, at):
            raise LegalHoldInForce(
                f"cannot erase customer {customer_id}'s data key: a legal hold is set"
            )
        self._remember(customer_id, None)

    def set_legal_hold(self, customer_id: UUID, held: bool) -> None:
        """Set or clear the hold (on the customer's key, made first if they have none yet)."""
        self.key_for_sealing(customer_id)
        self._hold_row(customer_id, held)


def _now() -> datetime:
    return datetime.now().astimezone()


# -- the mapper ------------------------------------------------------------------------------

_Unsealer = Callable[[dict[str, Any]], Any]
_unsealing: ContextVar[_Unsealer | None] = ContextVar("unsealing", default=None)
_SEALED_KEYS = frozenset({"sealed", "customer", "field"})


def _is_sealed(value: dict[str, Any]) -> bool:
    return len(value) == len(_SEALED_KEYS) and value.keys() == _SEALED_KEYS


class SealingTranscoder(JSONTranscoder):
    """The JSON transcoder, opening sealed values as it meets them (innermost first)."""

    def __init__(self) -> None:
        super().__init__()
        self._plain = json.JSONDecoder(object_hook=super()._decode_obj)

    def _decode_obj(self, d: dict[str, Any]) -> Any:
        if _is_sealed(d):
            opener = _unsealing.get()
            if opener is None:
                raise SealedValueRejected("a sealed value was met outside a stored event")
            return opener(d)
        return super()._decode_obj(d)

    def decode_plain(self, data: bytes) -> Any:
        """Decode a sealed value's plaintext (the JSON of one field)."""
        return self._plain.decode(data.decode("utf8"))


def _associated(originator_id: object, topic: str, path: str, customer: UUID) -> bytes:
    return f"{UUID(str(originator_id))}\x1f{topic}\x1f{path}\x1f{customer}".encode()


class SealingMapper(Mapper[UUID]):
    """Seals personal fields on the way into the store and opens them on the way out."""

    def __init__(
        self,
        transcoder: SealingTranscoder,
        keys: CustomerKeys,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
    ) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self.sealing_transcoder = transcoder
        self.keys = keys

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        """The stored event, its personal fields sealed (events without any: unchanged)."""
        paths = personal_paths(domain_event)
        if not paths:
            return super().to_stored_event(domain_event)
        customer = data_subject(domain_event)
        if customer is None and concerns_nobody(domain_event):
            return super().to_stored_event(domain_event)  # nobody's key to seal it under
        if customer is None:
            raise UnknownDataSubject(
                f"{type(domain_event).__qualname__} carries personal data but names no customer"
            )
        key = self.keys.key_for_sealing(customer)
        topic = get_topic(type(domain_event))
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        as_json: dict[str, dict[str, Any]] = {}
        for path in paths:
            name, *inner = path.split(".")

            def sealed(value: Any, path: str = path) -> dict[str, Any]:
                return {
                    "sealed": None
                    if key is None  # erased already: nothing personal is written for them
                    else seal(
                        key,
                        self.transcoder.encode(value),
                        _associated(originator_id, topic, path, customer),
                    ),
                    "customer": str(customer),
                    "field": path,
                }

            if not inner:
                state[name] = sealed(state[name])
                continue
            if name not in as_json:
                # A value object goes in as the JSON its transcoding writes, so that one of
                # its fields can be sealed; it is rebuilt from that JSON as always.
                value = state[name]
                transcoding = self.sealing_transcoder.types[type(value)]
                as_json[name] = {"_type_": transcoding.name, "_data_": transcoding.encode(value)}
                state[name] = as_json[name]
            container: dict[str, Any] = as_json[name]["_data_"]
            for part in inner[:-1]:
                container = container[part]
            container[inner[-1]] = sealed(container[inner[-1]])
        stored_state = self.transcoder.encode(state)
        if self.compressor:
            stored_state = self.compressor.compress(stored_state)
        if self.cipher:
            stored_state = self.cipher.encrypt(stored_state)
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=topic,
            state=stored_state,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        """The domain event, its sealed fields opened (or erased, once the key is gone)."""
        plain = self.cipher is None and self.compressor is None
        if plain and b'"sealed":' not in stored_event.state:
            return super().to_domain_event(stored_event)
        with self._opening(stored_event):
            return super().to_domain_event(stored_event)

    @contextmanager
    def _opening(self, stored_event: StoredEvent) -> Iterator[None]:
        event_class = cast(type[Any], resolve_topic(stored_event.topic))

        def opener(sealed: dict[str, Any]) -> Any:
            path = str(sealed["field"])
            if not may_be_sealed(event_class, path):
                raise SealedValueRejected(f"{path!r} is not a sealed field of {event_class}")
            customer = UUID(str(sealed["customer"]))
            erased = erased_value(event_class, path)
            if sealed["sealed"] is None:
                return erased
            key = self.keys.key_for_opening(customer)
            if key is None:
                return erased
            associated = _associated(stored_event.originator_id, stored_event.topic, path, customer)
            plaintext = unseal(key, str(sealed["sealed"]), associated)
            return self.sealing_transcoder.decode_plain(plaintext)

        token = _unsealing.set(opener)
        try:
            yield
        finally:
            _unsealing.reset(token)
