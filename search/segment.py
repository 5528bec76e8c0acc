"""Chinese word segmentation for indexing and querying, in one place.

Wagtail's database backends (SQLite FTS5, PostgreSQL with the ``simple``
configuration) split text on spaces and punctuation only, so an unbroken run
of Chinese characters is one token and a two-character word inside it is never
found. Every search path of the portal therefore passes its text through this
module first:

- at index time, :func:`index_text` turns a value into space-separated words
  (jieba's search mode: the words of a sentence and the shorter words inside
  them, so 行政执法人员 is indexed as 行政, 执法, 人员, 执法人员 …);
- at query time, :func:`query_groups` turns what the user typed into word
  groups: every group must match, and a group matches by the word itself, by
  all of its shorter words, or by a synonym from ``data/synonyms.txt``.

jieba is loaded once, lazily, in its own ``Tokenizer`` (not the global one
other code may configure), with the legal and administrative terms of
``data/userdict.txt`` added to its dictionary.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from portal.measures.text import REFERENCE_RE, reference_token

DATA_DIR = Path(__file__).resolve().parent / "data"
USER_DICT = DATA_DIR / "userdict.txt"
SYNONYMS = DATA_DIR / "synonyms.txt"

#: At most this many word groups are taken from one query: a pasted paragraph
#: still gives an answer, and the SQL stays small.
MAX_QUERY_GROUPS = 12

# Function words that carry no meaning for search. Dropped on both sides, so
# "容错的情形" finds a text that says "容错情形".
_STOPWORD_TEXT = (
    "的 了 在 是 和 与 及 或 等 对 于 其 之 把 被 将 由 以 为 也 就 都 而 并 "
    "或者 以及 及其 其他 有关 一 个 这 那 此 该 所 之一 下列 应当 可以 "
    "a an and or of the to in on for is are be by with"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD_RE = re.compile(r"\w+", re.UNICODE)
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# 第16条 / 第十六条 / 第 16 条 (and 章, 节, 款, 项): one token, Chinese numerals,
# as portal.measures, the one reader of measures, writes references.
_ARTICLE_RE = REFERENCE_RE

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_tokenizer = None


_article_token = reference_token


def get_tokenizer():
    """The jieba tokenizer, built on first use (about a second) and kept."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                tokenizer.load_userdict(str(USER_DICT))
                _tokenizer = tokenizer
    return _tokenizer


@cache
def synonym_groups() -> dict[str, tuple[str, ...]]:
    """Each word of ``data/synonyms.txt`` mapped to the other words of its line."""
    mapping: dict[str, tuple[str, ...]] = {}
    for line in SYNONYMS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words = line.split()
        for word in words:
            mapping[word] = tuple(w for w in words if w != word)
    return mapping


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, article references as one word."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _ARTICLE_RE.sub(lambda m: f" {_article_token(m)} ", text)


def _is_word(token: str) -> bool:
    return bool(token) and token not in STOPWORDS and bool(_WORD_RE.fullmatch(token))


def _split_words(text: str) -> list[str]:
    """Runs of word characters; jieba sees only these, never punctuation."""
    return _WORD_RE.findall(text)


def index_tokens(text: str) -> list[str]:
    """The words a text is indexed under (jieba search mode, in order)."""
    tokenizer = get_tokenizer()
    tokens: list[str] = []
    for run in _split_words(normalize(text)):
        if _ARTICLE_RE.fullmatch(run):
            tokens.append(run)
            continue
        if not _CJK_RE.search(run):
            tokens.append(run)
            continue
        for token in tokenizer.cut_for_search(run):
            if _is_word(token):
                tokens.append(token)
                if len(token) > 4:
                    # jieba's search mode adds the two- and three-character
                    # words inside a long word; add the four-character ones
                    # (执法人员 inside 行政执法人员).
                    tokens.extend(_inner_words(tokenizer, token, 4))
    return tokens


def _inner_words(tokenizer, word: str, size: int) -> list[str]:
    return [
        word[i : i + size]
        for i in range(len(word) - size + 1)
        if tokenizer.FREQ.get(word[i : i + size])
    ]


@lru_cache(maxsize=512)
def index_text(text: str) -> str:
    """A value as the database backends store it: words separated by spaces.

    Remembered for recent values: an indexer reads the same field for several
    columns (vector, plain text, title within body)."""
    return " ".join(index_tokens(text))


@dataclass(frozen=True)
class QueryGroup:
    """One word of the query and the ways a document may match it.

    ``alternatives`` is a tuple of word tuples: the document matches the group
    when it contains every word of at least one alternative.
    """

    word: str
    alternatives: tuple[tuple[str, ...], ...]


def _parts(word: str) -> tuple[str, ...]:
    """The fewest dictionary words (two characters or more) that spell
    ``word``, or () when it cannot be split that way."""
    pieces = {
        p
        for p in get_tokenizer().cut_for_search(word)
        if len(p) > 1 and p != word and _is_word(p)
    }
    best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(end):
            before = best[start]
            piece = word[start:end]
            if before is None or piece not in pieces:
                continue
            if best[end] is None or len(before) + 1 < len(best[end]):
                best[end] = (*before, piece)
    return best[-1] or ()


def _alternatives(word: str) -> tuple[tuple[str, ...], ...]:
    alternatives: list[tuple[str, ...]] = [(word,)]
    if _CJK_RE.search(word) and len(word) > 2 and not _ARTICLE_RE.fullmatch(word):
        # A long dictionary word also matches a text that writes its parts
        # apart ("容错免责" finds "容错、免责").
        parts = _parts(word)
        if parts:
            alternatives.append(parts)
    for synonym in synonym_groups().get(word, ()):
        alternatives.append(tuple(query_words(synonym)))
    unique: list[tuple[str, ...]] = []
    for alternative in alternatives:
        if alternative and alternative not in unique:
            unique.append(alternative)
    return tuple(unique)


def query_words(text: str) -> list[str]:
    """The words of a query (jieba precise mode), without duplicates."""
    tokenizer = get_tokenizer()
    words: list[str] = []
    for run in _split_words(normalize(text)):
        if _ARTICLE_RE.fullmatch(run) or not _CJK_RE.search(run):
            candidates = [run]
        else:
            candidates = list(tokenizer.cut(run))
        for word in candidates:
            if _is_word(word) and word not in words:
                words.append(word)
    return words


def query_groups(text: str) -> list[QueryGroup]:
    """What a query means to the index: at most ``MAX_QUERY_GROUPS`` groups."""
    return [
        QueryGroup(word, _alternatives(word))
        for word in query_words(text)[:MAX_QUERY_GROUPS]
    ]


def highlight_terms(text: str) -> list[str]:
    """Strings to mark in a snippet: the query words, their parts and synonyms,
    longest first so a long match wins over the shorter words inside it."""
    terms = {
        word
        for group in query_groups(text)
        for alternative in group.alternatives
        for word in alternative
    }
    return sorted(terms, key=lambda t: (-len(t), t))
