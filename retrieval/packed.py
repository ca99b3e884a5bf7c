"""Sequences kept on disk and read item by item: a warm start that does not grow with the folder.

Unpickling a million passages, their names and their articles took a restarting bot over ten
seconds before it could answer anything, though a question reads a few hundred of them. Here
each item is pickled on its own into one file, with an array of where each starts; the file
and the array are memory-mapped, so opening costs nothing and reading an item costs one
slice and one small unpickle. Passages, read most, are columns instead: their texts deflated
an article at a time, their articles, paragraphs and places in arrays.
"""

from __future__ import annotations

import mmap
import pickle
import zlib
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import groupby, pairwise
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

import numpy as np

from retrieval.bm25 import sorted_union
from retrieval.passages import Passage

T = TypeVar("T")
_OFFSETS = ".offsets.npy"
_LEVEL = 6
"""zlib's default: near its best ratio on prose at a few times its fastest speed."""
_DECODED = 1 << 14
"""Items of one list kept decoded: a question reads the same names again and again."""
_INFLATED_BLOCKS = 1 << 11
"""Articles' passage blocks kept inflated: a few questions' worth, some megabytes."""
_COLUMNS = ("article", "paragraph", "clipped", "start", "end")


def _offsets_path(path: Path) -> Path:
    return path.with_name(path.name + _OFFSETS)


def _mapped(path: Path) -> mmap.mmap | bytes:
    with path.open("rb") as f:
        if path.stat().st_size == 0:
            return b""
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def mapped_array(path: Path) -> np.ndarray:
    """The saved array, memory-mapped, as a plain ndarray: indexing a ``np.memmap`` costs
    a few microseconds a time in its subclass hooks, and a question indexes thousands."""
    return np.asarray(np.load(path, mmap_mode="r"))


def _write_offsets(path: Path, sizes: list[int]) -> None:
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    np.save(_offsets_path(path), offsets)


class _ByIndex(Sequence[T], Generic[T]):
    """A read-only sequence read one item at a time by ``_read``."""

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._read(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._read(index)

    def _read(self, index: int) -> T:
        raise NotImplementedError


class PackedList(_ByIndex[T]):
    """A read-only list whose items are unpickled when read (the most recent kept decoded)."""

    def __init__(
        self, data: mmap.mmap | bytes, offsets: np.ndarray, compressed: bool = False
    ) -> None:
        self._data = data
        self._offsets = offsets
        self._compressed = compressed
        self._cached = lru_cache(maxsize=_DECODED)(self._decode)

    @staticmethod
    def write(path: Path, items: Iterable[Any], compressed: bool = False) -> None:
        """``compressed`` deflates each item: for long texts read one at a time (whole
        articles), a third of the disk for a fraction of a millisecond per read."""
        sizes = []
        with path.open("wb") as f:
            for item in items:
                blob = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
                if compressed:
                    blob = zlib.compress(blob, _LEVEL)
                f.write(blob)
                sizes.append(len(blob))
        _write_offsets(path, sizes)

    @classmethod
    def open(cls, path: Path, compressed: bool = False) -> PackedList[Any]:
        return cls(_mapped(path), mapped_array(_offsets_path(path)), compressed)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def _read(self, index: int) -> T:
        return self._cached(index)

    def _decode(self, index: int) -> T:
        start, end = int(self._offsets[index]), int(self._offsets[index + 1])
        blob = self._data[start:end]
        return pickle.loads(zlib.decompress(blob) if self._compressed else blob)


class PackedPassages(_ByIndex[Passage]):
    """Passages as columns: each article's passage texts deflated together as one block, and
    article, paragraph, cut and where each text lies in its block in an array. Stored plain,
    the texts were half the cache; per article they deflate to about a third, a question
    reads a few hundred passages from a few dozen articles, and an article's block inflates
    in tens of microseconds (the most recent kept inflated)."""

    def __init__(
        self,
        blocks: mmap.mmap | bytes,
        offsets: np.ndarray,
        columns: np.ndarray,
        starts: np.ndarray,
        article_ids: Sequence[str],
    ) -> None:
        self._blocks = blocks
        self._offsets = offsets
        self._columns = columns
        self._starts = starts
        self._article_ids = article_ids
        self._block = lru_cache(maxsize=_INFLATED_BLOCKS)(self._inflate)

    @staticmethod
    def write(path: Path, passages: Sequence[Passage]) -> None:
        article_ids = list(dict.fromkeys(p.article_id for p in passages))
        number = {a: i for i, a in enumerate(article_ids)}
        if any(number[a.article_id] > number[b.article_id] for a, b in pairwise(passages)):
            raise ValueError("an article's passages must follow one another")
        columns = np.zeros((len(passages), len(_COLUMNS)), dtype=np.int32)
        sizes = []
        with path.open("wb") as f:
            row = 0
            for article, group in groupby(passages, key=lambda p: p.article_id):
                block = bytearray()
                for passage in group:
                    start = len(block)
                    block += passage.text.encode("utf-8", "surrogatepass")
                    columns[row] = (
                        number[article],
                        passage.paragraph,
                        passage.clipped,
                        start,
                        len(block),
                    )
                    row += 1
                blob = zlib.compress(block, _LEVEL)
                f.write(blob)
                sizes.append(len(blob))
        _write_offsets(path, sizes)
        np.save(path.with_name(path.name + ".columns.npy"), columns)
        starts = np.flatnonzero(np.diff(columns[:, 0], prepend=-1))
        np.save(path.with_name(path.name + ".starts.npy"), np.append(starts, len(passages)))
        with path.with_name(path.name + ".articles").open("wb") as f:
            pickle.dump(article_ids, f, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def open(cls, path: Path) -> PackedPassages:
        with path.with_name(path.name + ".articles").open("rb") as f:
            article_ids = pickle.load(f)
        return cls(
            _mapped(path),
            mapped_array(_offsets_path(path)),
            mapped_array(path.with_name(path.name + ".columns.npy")),
            mapped_array(path.with_name(path.name + ".starts.npy")),
            article_ids,
        )

    def __len__(self) -> int:
        return len(self._columns)

    def _inflate(self, article: int) -> bytes:
        start, end = int(self._offsets[article]), int(self._offsets[article + 1])
        return zlib.decompress(self._blocks[start:end])

    def article_of(self, index: int) -> str:
        """The passage's article, read off its column without inflating its text."""
        return self._article_ids[int(self._columns[index, 0])]

    def articles_of(self, passages: Collection[int]) -> set[str]:
        if not passages:
            return set()
        rows = np.fromiter(passages, dtype=np.int64, count=len(passages))
        numbers = sorted_union([self._columns[rows, 0]])
        return {self._article_ids[n] for n in numbers.tolist()}

    def _read(self, index: int) -> Passage:
        article, paragraph, clipped, start, end = self._columns[index].tolist()
        text = self._block(article)[start:end].decode("utf-8", "surrogatepass")
        return Passage(self._article_ids[article], paragraph, text, bool(clipped))

    def article_passages(self) -> ArticlePassages:
        """Each article's passages, which the build writes one article after another."""
        return ArticlePassages(self._article_ids, self._starts)


class ArticlePassages(Mapping[str, range]):
    """Each article's passages as a range, read off the array of where each article's first
    passage is: a question looks up a few articles, and building the whole mapping took the
    first question at a million passages 40 ms."""

    def __init__(self, article_ids: Sequence[str], starts: np.ndarray) -> None:
        self._article_ids = article_ids
        self._starts = starts
        self._number: dict[str, int] | None = None

    def _numbers(self) -> dict[str, int]:
        if self._number is None:
            self._number = {a: i for i, a in enumerate(self._article_ids)}
        return self._number

    def __getitem__(self, key: str) -> range:
        number = self._numbers()[key]
        return range(int(self._starts[number]), int(self._starts[number + 1]))

    def __contains__(self, key: object) -> bool:
        return key in self._numbers()

    def all_of(self, article_ids: Iterable[str]) -> np.ndarray:
        """Every passage of these articles as one array, without a range per article."""
        numbers = self._numbers()
        at = np.fromiter((numbers[a] for a in article_ids), dtype=np.int64)
        starts, ends = self._starts[at].astype(np.int64), self._starts[at + 1].astype(np.int64)
        sizes = ends - starts
        # Each passage is its article's start plus its place among that article's passages.
        places = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        return np.repeat(starts, sizes) + places

    def __iter__(self) -> Iterator[str]:
        return iter(self._article_ids)

    def __len__(self) -> int:
        return len(self._article_ids)


class PackedMapping(Mapping[str, T], Generic[T]):
    """A read-only mapping over a packed list, by the keys written with it, in their order."""

    def __init__(self, keys: Sequence[str], values: Sequence[T]) -> None:
        self._keys = keys
        self._values = values
        self._index = {key: number for number, key in enumerate(keys)}

    def __getitem__(self, key: str) -> T:
        return self._values[self._index[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._index


class PackedStrings(_ByIndex[str]):
    """Strings in sorted order as one UTF-8 file with an array of offsets: a lookup is a
    binary search over the mapped file, and opening it reads nothing."""

    def __init__(self, data: mmap.mmap | bytes, offsets: np.ndarray) -> None:
        self._data = data
        self._offsets = offsets

    @staticmethod
    def write(path: Path, strings: Iterable[str]) -> None:
        """``strings`` must come sorted, and hold no NUL: each is followed by one, so that
        ``to_list`` is one decode and one split rather than a slice a string."""
        sizes = []
        with path.open("wb") as f:
            for text in strings:
                blob = text.encode("utf-8", "surrogatepass") + b"\0"
                f.write(blob)
                sizes.append(len(blob))
        _write_offsets(path, sizes)

    def to_list(self) -> list[str]:
        if not len(self):
            return []
        return bytes(self._data[:]).decode("utf-8", "surrogatepass").split("\0")[:-1]

    @classmethod
    def open(cls, path: Path) -> PackedStrings:
        return cls(_mapped(path), mapped_array(_offsets_path(path)))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def _read(self, index: int) -> str:
        start, end = int(self._offsets[index]), int(self._offsets[index + 1]) - 1
        return self._data[start:end].decode("utf-8", "surrogatepass")

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self.index_of(text) >= 0

    def index_of(self, text: str) -> int:
        """Where the string stands, -1 if it is not there."""
        at = bisect_left(self, text)
        return at if at < len(self) and self._read(at) == text else -1


class PackedGroups(Mapping[str, np.ndarray]):
    """Sorted string keys, each with a group of ints (CSR), read from mapped files: a lookup
    table that a start opens without building a dict of every key."""

    def __init__(self, keys: PackedStrings, indptr: np.ndarray, values: np.ndarray) -> None:
        self._keys = keys
        self._indptr = indptr
        self._values = values

    @staticmethod
    def write(path: Path, groups: Iterable[tuple[str, Iterable[int]]]) -> None:
        keys: list[str] = []
        sizes: list[int] = []
        values: list[int] = []
        for key, group in sorted(groups, key=lambda kv: kv[0]):
            members = sorted(group)
            keys.append(key)
            sizes.append(len(members))
            values += members
        PackedStrings.write(path, keys)
        indptr = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=indptr[1:])
        np.save(path.with_name(path.name + ".indptr.npy"), indptr)
        np.save(path.with_name(path.name + ".values.npy"), np.array(values, dtype=np.int32))

    @classmethod
    def open(cls, path: Path) -> PackedGroups:
        def array(suffix: str) -> np.ndarray:
            return mapped_array(path.with_name(path.name + suffix))

        return cls(PackedStrings.open(path), array(".indptr.npy"), array(".values.npy"))

    def __getitem__(self, key: str) -> np.ndarray:
        at = self._keys.index_of(key)
        if at < 0:
            raise KeyError(key)
        return self._values[int(self._indptr[at]) : int(self._indptr[at + 1])]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._keys.index_of(key) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys.to_list())

    def __len__(self) -> int:
        return len(self._keys)
