"""The built corpus kept on disk between runs, keyed by what it was built from.

Tokenizing, indexing and finding names cost seconds per thousand articles; loading their
result costs a fraction of that. An entry is filed under a hash of every article file's
name, size and modification time, the size limit and this package's own source, so an
edited article or a new version of the code never serves a stale index, nothing has to be
invalidated by hand, and a start reads no article to find its entry. The entry records a
hash of the files' bytes too (its fingerprint): a full check (``verify``, the watcher's
periodic one) compares it with the folder's, for the edit that keeps sizes and times. The BM25
arrays are memory-mapped, and so are the articles, passages and names, packed item by item
(``retrieval.packed``) with the meeting events and the name lookups (sorted tables searched
in place), so that a start reads only what questions use; the rest (the article ids) is one
small pickle, since the cache is private to the bot and written by the same code that reads
it.

Each entry carries a CRC-32 of every file it holds, checked before anything is loaded: a
damaged file (a bad disk block, a copy cut short) would otherwise load without complaint and
answer wrongly on every restart. CRC-32 because the damage guarded against is accidental,
and it is the cheapest sound check at hand: on a 5,000-article entry (13 MB) it costs ~8 ms
against ~12 ms for SHA-256 and ~26 ms for BLAKE2b.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import pickle
import shutil
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cache, partial
from pathlib import Path

import numpy as np

from retrieval.articles import ArticleError, read_regular_file
from retrieval.bm25 import BM25Index, replace_dir
from retrieval.cancel import Check, never
from retrieval.corpus import Corpus, Progress, assemble, load_corpus
from retrieval.events import EventTable
from retrieval.listing import FolderState, article_names, folder_state
from retrieval.packed import PackedList, PackedMapping, PackedPassages, mapped_array
from retrieval.segments import absorb

log = logging.getLogger(__name__)

FORMAT = 7
KEEP = 3
"""Cache entries kept: the current corpus and a few recent ones (another folder, a rollback)."""
_PARTS = "corpus.pickle"
_ARTICLES = "articles.packed"
_PASSAGES = "passages.deflate"
_ENTITIES = "entities.packed"
_NAMES = "names.packed"
_NAME_KEYS = "name_keys.packed"
_NAME_WORDS = "name_words.packed"
_COMMON = "common_words.packed"
_EVENTS = "events.packed"
_EVENT_COUNTS = "events.counts.npy"
_FINGERPRINT = "fingerprint.txt"
_LISTING = "listing.pickle"
_NAMES_KEY = "names.key"
_INDEX = "bm25"
_CHECKSUMS = "checksums.json"
_READ_CHUNK = 1 << 20
CHECK_LATER_BYTES = 32 << 20
"""Cache files this large have their CRC checked on a thread once the corpus is in use: at a
million passages checking a gigabyte first was a third of a warm start. Sizes are always
checked first, so a copy cut short never loads."""


def listing_key(folder: Path, max_article_bytes: int, listing: FolderState | None = None) -> str:
    """A hash of what a start can learn without reading a file: every article file's name,
    size and modification time, the size limit and the code. A cache entry is filed under
    it, so a restart over a million passages does not read and hash half a gigabyte first;
    ``corpus_key`` (the contents) is what the entry also records, for full checks."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{FORMAT}|{_code_version()}|{max_article_bytes}".encode())
    files = (listing or folder_state(folder)).files
    text = "".join([f"|{len(name)}:{name}|{size}|{mtime}" for name, size, mtime in files])
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def names_key(folder: Path, max_article_bytes: int, names: list[str]) -> str:
    """A hash of what a start learns from the directory listing alone: the folder's path and
    its article file names, with the size limit and the code. It finds the entry a bot that
    watches the folder may start answering from (``CorpusCache.recent``); the folder's path
    is in it so that two folders sharing a cache and their file names never share it."""
    digest = hashlib.blake2b(digest_size=16)
    where = os.path.realpath(folder)
    digest.update(f"{FORMAT}|{_code_version()}|{max_article_bytes}|{where}".encode())
    digest.update("\n".join(names).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def corpus_key(folder: Path, max_article_bytes: int, check: Check = never) -> str:
    """A hash of everything a build reads: the files (oversized ones by name and size only,
    as the build skips them unread), the size limit and the code. It reads every file, so it
    also tells edits apart that keep a file's size and modification time."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{FORMAT}|{_code_version()}|{max_article_bytes}".encode())
    for name, size, _ in folder_state(folder).files:
        check()
        digest.update(f"|{len(name)}:{name}|{size}|".encode("utf-8", "surrogatepass"))
        if size <= max_article_bytes:
            try:
                digest.update(read_regular_file(folder / name))
            except OSError as e:
                digest.update(f"unreadable {e.errno}".encode())
            except ArticleError as e:
                digest.update(f"unreadable {e}".encode())
    return digest.hexdigest()


@cache
def _code_version() -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{sys.version_info[:2]}".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


class CorpusCache:
    def __init__(
        self, root: Path, keep: int = KEEP, check_later_bytes: int = CHECK_LATER_BYTES
    ) -> None:
        self.root = root
        self.keep = keep
        self.check_later_bytes = check_later_bytes
        self.damaged = 0
        """Entries found damaged after they were loaded (and removed): a watcher that sees
        this count change rebuilds, since the folder itself did not."""
        self._checks: list[threading.Thread] = []
        self._lock = threading.Lock()

    def load(self, key: str, fingerprint: str | None = None) -> Corpus | None:
        """The cached corpus, or None when there is none, it cannot be read (it is then
        rebuilt, and the bad entry replaced) or, given a ``fingerprint``, it was built from
        other contents."""
        entry = self.root / key
        if not (entry / _PARTS).is_file():
            return None
        try:
            later = _verify(entry, self.check_later_bytes)
            built_from = (entry / _FINGERPRINT).read_text(encoding="ascii").strip()
            if fingerprint is not None and built_from != fingerprint:
                return None
            with (entry / _PARTS).open("rb") as f:
                article_ids, entities = pickle.load(f)
            articles = PackedMapping(
                article_ids, PackedList.open(entry / _ARTICLES, compressed=True)
            )
            passages = PackedPassages.open(entry / _PASSAGES)
            entities.entities = PackedList.open(entry / _ENTITIES)
            entities.in_passage = PackedList.open(entry / _NAMES)
            entities.open_lookups(entry / _NAME_KEYS, entry / _NAME_WORDS, entry / _COMMON)
            counts = mapped_array(entry / _EVENT_COUNTS)
            events = EventTable(PackedList.open(entry / _EVENTS), counts)
            bm25 = BM25Index.load(entry / _INDEX, mmap=True)
            corpus = assemble(articles, passages, bm25, entities, events, built_from)
        except Exception as e:
            log.warning("ignoring the unreadable index cache %s (%s)", entry, e)
            return None
        _touch(entry)
        if later:
            self._check_later(entry, later)
        return corpus

    def wait_for_checks(self, timeout: float | None = None) -> None:
        """Until the checksums left for later are checked (tests, benchmarks)."""
        for thread in list(self._checks):
            thread.join(timeout)

    def _check_later(self, entry: Path, files: dict[str, str]) -> None:
        def run() -> None:
            try:
                _compare(files, _checksums(entry, files))
            except DamagedCacheError as e:
                log.warning("the index cache %s is damaged (%s); rebuilding it", entry, e)
                shutil.rmtree(entry, ignore_errors=True)
                with self._lock:
                    self.damaged += 1
            except OSError as e:
                log.warning("could not check the index cache %s (%s)", entry, e)

        thread = threading.Thread(target=run, name="cache-check", daemon=True)
        self._checks = [t for t in self._checks if t.is_alive()] + [thread]
        thread.start()

    def nearest(self, max_article_bytes: int) -> tuple[str, FolderState] | None:
        """The most recently used entry built by this code with this size limit, and the
        listing it was built from: after a few articles changed, the one to join them to."""
        for entry in self._entries():
            origin = _origin(entry)
            if origin is not None and origin[0] == max_article_bytes:
                return entry.name, origin[1]
        return None

    def recent(
        self, folder: Path, max_article_bytes: int
    ) -> tuple[Corpus, Callable[[], FolderState]] | None:
        """The most recently used entry built by this code, with this size limit, from this
        folder when it held the article files it holds now, and what gives the listing it
        was built from (empty when unreadable); None when there is none. Only the folder's
        names are read, so sizes and times may have changed since: the caller is to compare
        that listing with the folder's soon after (``LiveCorpus``'s ``start``). Reading the
        listing is left to the caller too, being a tenth of a second at 200,000 files."""
        names = article_names(folder)
        if not names:
            return None
        wanted = names_key(folder, max_article_bytes, names)
        for entry in self._entries():
            try:
                if (entry / _NAMES_KEY).read_text(encoding="ascii") != wanted:
                    continue
            except OSError:
                continue
            corpus = self.load(entry.name)
            if corpus is None:
                return None
            return corpus, partial(_recorded_listing, entry)
        return None

    def _entries(self) -> list[Path]:
        """The entries, the most recently used first."""
        try:
            entries = [p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")]
            entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError:
            return []
        return entries

    def save(
        self,
        key: str,
        corpus: Corpus,
        fingerprint: str,
        origin: tuple[Path, int, FolderState] | None = None,
    ) -> None:
        """Written beside the entry and renamed into place, so a reader never sees half of
        it; a cache that cannot be written only costs the next start its speed. ``origin``,
        the folder, size limit and listing the corpus was built with, lets a later start
        join the articles changed since to this entry (``nearest``), or start answering from
        it before its listing is checked (``recent``)."""
        entry = self.root / key
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=self.root))
        except OSError as e:
            log.warning("cannot write the index cache in %s (%s)", self.root, e)
            return
        try:
            # The bulky parts are packed item by item, to be read on use (retrieval.packed),
            # and so are the name lookups; the article ids are one small pickle.
            # Articles and passages are deflated (an article, its passages' texts, at a
            # time): plain, the two alone were twice the folder's size.
            PackedList.write(staging / _ARTICLES, corpus.articles.values(), compressed=True)
            PackedPassages.write(staging / _PASSAGES, corpus.passages)
            PackedList.write(staging / _ENTITIES, corpus.entities.entities)
            PackedList.write(staging / _NAMES, corpus.entities.in_passage)
            PackedList.write(staging / _EVENTS, corpus.events.by_passage)
            np.save(staging / _EVENT_COUNTS, corpus.events.counts)
            corpus.entities.write_lookups(
                staging / _NAME_KEYS, staging / _NAME_WORDS, staging / _COMMON
            )
            with (staging / _PARTS).open("wb") as f:
                parts = (list(corpus.articles), corpus.entities.without_lookups())
                pickle.dump(parts, f, protocol=pickle.HIGHEST_PROTOCOL)
            corpus.index.bm25.save(staging / _INDEX)
            (staging / _FINGERPRINT).write_text(fingerprint, encoding="ascii")
            if origin is not None:
                folder, limit, listing = origin
                with (staging / _LISTING).open("wb") as f:
                    built_by = (FORMAT, _code_version())
                    pickle.dump((built_by, limit, listing.files), f, pickle.HIGHEST_PROTOCOL)
                names = [name for name, _, _ in listing.files]
                key_of_names = names_key(folder, limit, names)
                (staging / _NAMES_KEY).write_text(key_of_names, encoding="ascii")
            (staging / _CHECKSUMS).write_text(json.dumps(_checksums(staging), indent=0))
            replace_dir(staging, entry)
        except OSError as e:
            log.warning("cannot write the index cache in %s (%s)", self.root, e)
            return
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self._prune()

    def _prune(self) -> None:
        for old in self._entries()[self.keep :]:
            shutil.rmtree(old, ignore_errors=True)


def _origin(entry: Path) -> tuple[int, FolderState] | None:
    """The size limit and listing the entry was built with, if this code built it."""
    try:
        with (entry / _LISTING).open("rb") as f:
            built_by, limit, files = pickle.load(f)
    except Exception:
        return None
    return (limit, FolderState(files)) if built_by == (FORMAT, _code_version()) else None


def _recorded_listing(entry: Path) -> FolderState:
    """The listing the entry was built from; empty when unreadable, which a comparison with
    the folder then takes for a change."""
    origin = _origin(entry)
    return FolderState(()) if origin is None else origin[1]


class DamagedCacheError(ValueError):
    """A cache file is not what was written: its checksum differs, or it is missing."""


def _checksums(entry: Path, only: Iterable[str] | None = None) -> dict[str, str]:
    """CRC-32 and size of every file in the entry but the checksum list (or of those named),
    by relative path."""
    sums = {}
    buffer = bytearray(_READ_CHUNK)
    view = memoryview(buffer)
    paths = sorted(entry.rglob("*")) if only is None else [entry / name for name in only]
    for path in paths:
        if path.name == _CHECKSUMS or not path.is_file():
            continue
        crc = size = 0
        with path.open("rb", buffering=0) as f:
            while n := f.readinto(buffer):
                crc = zlib.crc32(view[:n], crc)
                size += n
        sums[path.relative_to(entry).as_posix()] = f"{crc:08x} {size}"
    return sums


def _verify(entry: Path, later_from: int) -> dict[str, str]:
    """Checks that every file is there at the size it was written with, and the CRC of those
    under ``later_from`` bytes; returns the recorded sums of the others, to check while the
    corpus is in use."""
    try:
        expected = json.loads((entry / _CHECKSUMS).read_text())
        written = {name: int(recorded.split()[1]) for name, recorded in expected.items()}
    except (OSError, ValueError, IndexError, AttributeError) as e:
        raise DamagedCacheError(f"no readable checksums: {e}") from None
    sizes = {
        path.relative_to(entry).as_posix(): path.stat().st_size
        for path in entry.rglob("*")
        if path.is_file() and path.name != _CHECKSUMS
    }
    for name in sorted(written.keys() | sizes.keys()):
        if name not in sizes:
            raise DamagedCacheError(f"{name} is missing")
        if name not in written:
            raise DamagedCacheError(f"{name} is not in the checksum list")
        if sizes[name] != written[name]:
            raise DamagedCacheError(f"{name} is not the size it was written with")
    later = {name: recorded for name, recorded in expected.items() if sizes[name] >= later_from}
    now = [name for name in expected if name not in later]
    _compare({name: expected[name] for name in now}, _checksums(entry, now))
    return later


def _compare(expected: dict[str, str], found: dict[str, str]) -> None:
    for name in sorted(expected.keys() | found.keys()):
        if expected.get(name) != found.get(name):
            if name not in found:
                what = "is missing"
            elif name not in expected:
                what = "is not in the checksum list"
            else:
                what = "does not match its checksum"
            raise DamagedCacheError(f"{name} {what}")


def _touch(entry: Path) -> None:
    """Marks the entry as recently used, for pruning."""
    with contextlib.suppress(OSError):
        os.utime(entry)


def open_corpus(
    folder: Path,
    max_article_bytes: int,
    cache: CorpusCache | None,
    progress: Progress | None = None,
    check: Check = never,
    verify: bool = False,
    listing: FolderState | None = None,
    join: bool = False,
) -> Corpus:
    """The corpus for the folder: from the cache when it holds one for the folder's listing,
    else built (raising NoArticlesError when the folder has no usable article) and cached.
    ``verify`` also reads every file and takes the cached corpus only if it was built from
    those contents: for an edit that kept every size and modification time, which the
    listing cannot see. ``check`` lets a stopping bot cancel the build (retrieval.cancel).
    ``listing`` is the folder's ``folder_state`` when the caller has just taken it: at a
    hundred thousand files the listing is a third of a warm start. With ``join``, when the
    cache holds no entry for the folder as it is, the articles changed since the last one
    built are joined to it (retrieval.segments) rather than all rebuilt: the corpus is then
    not ``complete``, and the caller is to rebuild it aside."""
    if cache is None:
        return load_corpus(folder, max_article_bytes, progress, check)
    listing = listing or folder_state(folder)
    key = listing_key(folder, max_article_bytes, listing)
    wanted = corpus_key(folder, max_article_bytes, check) if verify else None
    if (corpus := cache.load(key, wanted)) is not None:
        log.info("loaded the index of %d articles from the cache", len(corpus.articles))
        return corpus
    if join and not verify and (near := _joined(folder, max_article_bytes, cache, listing, check)):
        return near
    log.info("building the index of %s", folder)
    before = wanted or corpus_key(folder, max_article_bytes, check)
    corpus = load_corpus(folder, max_article_bytes, progress, check)
    after = corpus_key(folder, max_article_bytes, check)
    # A file changed while it was being read would file this build under the wrong key.
    if after == before and listing_key(folder, max_article_bytes) == key:
        check()
        cache.save(key, corpus, after, (folder, max_article_bytes, listing))
    return replace(corpus, fingerprint=before)


def _joined(
    folder: Path, max_article_bytes: int, cache: CorpusCache, listing: FolderState, check: Check
) -> Corpus | None:
    near = cache.nearest(max_article_bytes)
    if near is None:
        return None
    key, built_from = near
    base = cache.load(key)
    if base is None:
        return None
    corpus = absorb(base, built_from, listing, folder, max_article_bytes, check)
    if corpus is not None:
        log.info(
            "loaded the index of %d articles from the cache, the articles changed since joined",
            len(corpus.articles),
        )
    return corpus
