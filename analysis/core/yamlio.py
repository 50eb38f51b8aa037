"""Strict YAML for the files a researcher hands us (--config, sweep grids, data/sources.yaml).

Plain `yaml.safe_load` lets a few hundred bytes expand to gigabytes through aliases ("billion laughs"),
recurses until Python gives up on deep nesting, and keeps the last of two equal keys silently. Here the
document is composed into nodes first and checked before any value is built: no aliases (an anchor that
is never used is harmless), at most MAX_DEPTH levels and MAX_NODES nodes, no duplicate key in a mapping.
Every problem with the text, including bytes that are not UTF-8, is a YAMLInputError naming the line.
"""

from __future__ import annotations

import yaml

from analysis.core import fileio

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster

MAX_DEPTH = 50
MAX_NODES = 200_000
MAX_BYTES = 16 << 20  # 16 MiB: the shipped registry is about 100 KB


class YAMLInputError(ValueError):
    """A YAML text that must not be loaded: `line` (1-based, or None) and what is wrong."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None):
        self.problem, self.line, self.column = problem, line, column
        super().__init__(f"{self.where}: {problem}" if line else problem)

    @property
    def where(self) -> str:
        """'line 3' or 'line 3, column 7' (empty when unknown)."""
        if not self.line:
            return ""
        return f"line {self.line}" + (f", column {self.column}" if self.column else "")


def _position(mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _alias_error(text: str) -> YAMLInputError:
    """Where the first alias is (only the events know; composed nodes keep the anchor's position)."""
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, yaml.AliasEvent):
            return YAMLInputError(
                f"aliases (*{event.anchor}) are not allowed; write the value out", *_position(event.start_mark)
            )
    return YAMLInputError("aliases are not allowed; write the value out")


def _check(root: yaml.Node, text: str) -> None:
    """Walk the node graph once (iteratively): aliases, depth, size and duplicate keys."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:  # the composer hands out the anchored node again for each alias
            raise _alias_error(text)
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise YAMLInputError(f"nested more than {MAX_DEPTH} levels deep", *_position(node.start_mark))
        if len(seen) > MAX_NODES:
            raise YAMLInputError(f"more than {MAX_NODES:,} values", *_position(node.start_mark))
        if isinstance(node, yaml.MappingNode):
            keys: dict[tuple, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    ident = (key.tag, key.value)
                    if ident in keys:
                        raise YAMLInputError(
                            f"duplicate key {key.value!r} (first at line {keys[ident]})", *_position(key.start_mark)
                        )
                    keys[ident] = key.start_mark.line + 1
                stack += [(key, depth + 1), (value, depth + 1)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, depth + 1) for item in node.value]


def load(text: str | bytes):
    """The single YAML document in `text`, checked as described above; None for an empty document."""
    if isinstance(text, bytes):
        try:
            text = fileio.decode(text)
        except fileio.FileProblem as e:
            raise YAMLInputError(str(e)) from None
    elif len(text) > MAX_BYTES:
        raise YAMLInputError(f"the file has {len(text):,} characters; expected at most {MAX_BYTES:,}")
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check(node, text)
        return loader.construct_document(node)
    except YAMLInputError:
        raise
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise YAMLInputError(
            f"malformed YAML ({e.problem or e.context})",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as e:
        raise YAMLInputError(f"malformed YAML ({e})") from None
    except (ValueError, OverflowError, RecursionError) as e:  # e.g. an integer of 5,000 digits
        raise YAMLInputError(f"a value cannot be read ({str(e)[:120]})") from None
    finally:
        loader.dispose()


def read(path, max_bytes: int = MAX_BYTES):
    """load() the file at `path`: FileProblem when it is not a readable regular file of at most `max_bytes`,
    YAMLInputError for its content."""
    return load(fileio.read_text(path, max_bytes))
