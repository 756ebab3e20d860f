"""The one style of every reply, read from its plain text, for the channels that can show more than text.

The catalogue writes replies as plain lines; a channel with markup shows them the same way everywhere: a short
"Label: value" with its label in bold, the line that heads a list in bold, every list item ("- " or "• ") as an
item of one style, a blank line as a break between paragraphs. Teams draws it as card blocks, Matrix as HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

# A label is a few words ("Doel van de melder"), not the start of a sentence ("U kunt hier direct antwoorden").
_LABELLED = re.compile(r"^([^\W\d][^:\s]*(?: [^:\s]+){0,3}): (\S.*)$")
LONGEST_LABEL = 28
_ITEM = re.compile(r"^[-•] (.*)$")


class Shape(Enum):
    PLAIN = "plain"
    LABELLED = "labelled"  # ``label`` in bold, then ``text``
    HEADING = "heading"  # the line above a list
    ITEM = "item"  # ``text`` without its bullet


@dataclass(frozen=True)
class Line:
    shape: Shape
    text: str
    label: str = ""
    after_gap: bool = False  # a blank line came before it: a new paragraph


def lines_of(text: str) -> list[Line]:
    """The reply's non-empty lines, each with its shape."""
    raw = [line.strip() for line in text.split("\n")]
    shaped: list[Line] = []
    gap = False
    for index, line in enumerate(raw):
        if not line:
            gap = True
            continue
        following = next((later for later in raw[index + 1 :] if later), "")
        item = _ITEM.match(line)
        labelled = None if item else _LABELLED.match(line)
        if item:
            shaped.append(Line(Shape.ITEM, item[1], after_gap=gap))
        elif labelled and len(labelled[1]) <= LONGEST_LABEL:
            shaped.append(Line(Shape.LABELLED, labelled[2], labelled[1], after_gap=gap))
        elif _ITEM.match(following):
            shaped.append(Line(Shape.HEADING, line, after_gap=gap))
        else:
            shaped.append(Line(Shape.PLAIN, line, after_gap=gap))
        gap = False
    return shaped
