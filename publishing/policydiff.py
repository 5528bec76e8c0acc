"""What changed between two published versions of a policy document, article
by article: the public version history lists it (修改第三条；新增第二十五条)
and the comparison view shows each changed article's old and new text with
the words deleted and inserted marked.

Articles are matched by their number, as an amending decision names them
(第十条修改为…). Pure functions over (number, label, body) triples: the
callers read them from the revisions' stored content."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

#: The kinds of change, in the order the history names them.
CHANGED, ADDED, REMOVED = "changed", "added", "removed"
KINDS = (CHANGED, ADDED, REMOVED)


@dataclass(frozen=True)
class ArticleChange:
    kind: str
    number: int
    label: str
    old: str = ""
    new: str = ""

    def marked(self) -> list[tuple[str, str]]:
        """The new text against the old, as (operation, text) runs:
        "same", "deleted" or "inserted", character by character (Chinese
        has no spaces to split words on)."""
        matcher = difflib.SequenceMatcher(None, self.old, self.new, autojunk=False)
        runs: list[tuple[str, str]] = []
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                runs.append(("same", self.old[a1:a2]))
                continue
            if a2 > a1:
                runs.append(("deleted", self.old[a1:a2]))
            if b2 > b1:
                runs.append(("inserted", self.new[b1:b2]))
        return runs

    def marked_paragraphs(self) -> list[list[tuple[str, str]]]:
        """:meth:`marked`, cut into the article's paragraphs (a run that
        spans a paragraph break is cut there too)."""
        paragraphs: list[list[tuple[str, str]]] = [[]]
        for op, text in self.marked():
            for index, piece in enumerate(text.split("\n")):
                if index:
                    paragraphs.append([])
                if piece:
                    paragraphs[-1].append((op, piece))
        return [runs for runs in paragraphs if runs]


def article_changes(old: list[tuple], new: list[tuple]) -> list[ArticleChange]:
    """The articles changed, added and removed from ``old`` to ``new`` (lists
    of (number, label, body)), in article order."""
    before = {number: (label, body) for number, label, body in old}
    after = {number: (label, body) for number, label, body in new}
    changes = []
    for number in sorted(before.keys() | after.keys()):
        if number not in before:
            label, body = after[number]
            changes.append(ArticleChange(ADDED, number, label, new=body))
        elif number not in after:
            label, body = before[number]
            changes.append(ArticleChange(REMOVED, number, label, old=body))
        elif before[number] != after[number]:
            label, body = after[number]
            changes.append(
                ArticleChange(CHANGED, number, label, before[number][1], body)
            )
    return changes


def summary(changes: list[ArticleChange]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The changes by kind, for one line of the version history (the template
    words it: 修改第三条、第十条；新增第二十五条): ((kind, labels), …)."""
    return tuple(
        (kind, labels)
        for kind in KINDS
        if (labels := tuple(c.label for c in changes if c.kind == kind))
    )


def articles_of_content(content: dict) -> list[tuple]:
    """(number, label, body) of each article in a revision's stored content."""
    return [
        (row.get("number"), row.get("label", ""), row.get("body", ""))
        for row in content.get("articles", [])
    ]
