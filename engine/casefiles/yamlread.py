"""YAML text to plain values, with the line of every key and list item: the safe reader of
case files (and of a ``--set`` value).

The YAML is parsed (by libyaml where PyYAML has it, else by PyYAML's own parser, whose messages
are reported for every problem) into nodes only, aliases are refused as soon as the parser meets
one (no "billion laughs", no self-referencing anchors), nesting deeper than
:data:`schema.MAX_DEPTH` is refused while composing (no recursion trouble), and only the plain
YAML tags (str, int, float, bool, null, timestamp, map, seq) are turned into values: any other
tag (``!!python/object/apply:...``, ``!!binary``, ``!custom``) is refused without being
constructed. Duplicate keys are errors naming both lines.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from digital_coalitions.casefiles import schema as S
from digital_coalitions.casefiles.problems import INVALID, Problems, described, one_line, quote


class Refused(Exception):
    """A text the reader will not read (an alias, deep nesting, a bad escape): what and where."""

    def __init__(self, mark, what: str, expected: str):
        super().__init__(what)
        self.line = (mark.line + 1) if mark is not None else 1
        self.what = what
        self.expected = expected


class _NodeRules:
    """Composing nodes, refusing aliases and nesting beyond MAX_DEPTH (a mixin of both readers)."""

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise Refused(event.start_mark,
                          f"alias '*{one_line(str(event.anchor))}' is not allowed",
                          "plain values (case files do not use anchors & and aliases *)")
        self._depth += 1
        try:
            if self._depth > S.MAX_DEPTH:
                event = self.peek_event()
                raise Refused(event.start_mark, f"nested deeper than {S.MAX_DEPTH} levels",
                              f"at most {S.MAX_DEPTH} levels of nesting")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class CaseReader(_NodeRules, yaml.SafeLoader):
    """The pure-Python reader: its messages are the ones the loader reports."""

    def get_single_node(self):
        try:
            return super().get_single_node()
        except ValueError:  # the scanner's chr() on a "\U" escape beyond U+10FFFF
            raise Refused(self.get_mark(), f"the escape \\U{one_line(self.prefix(8))} names no "
                          "Unicode character", "an escape of at most \\U0010FFFF") from None


if yaml.__with_libyaml__:
    class FastCaseReader(_NodeRules, yaml.composer.Composer, yaml.cyaml.CParser,
                         yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml's events composed by the same Python rules: ten times faster than
        CaseReader. It only ever reads files that parse; any problem is read again by
        CaseReader, so that the messages do not depend on which parser is installed."""

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
else:  # a PyYAML built without libyaml
    FastCaseReader = None

# Texts with any of these are read by CaseReader alone: libyaml reads a '!' tag and a byte-order
# mark inside the text differently, and the Python reader's messages on tabs are the documented
# ones. On every other text the two read the same wherever both accept it (a property in
# tests/test_loader.py); libyaml accepts a few texts the Python reader refuses ('[a?]', '|#').
KEPT_FROM_LIBYAML = ("!", "\t", "\ufeff")


def kept_from_libyaml(text: str) -> bool:
    """Whether ``text`` holds one of them (a scan for each: a regular expression's class with
    U+FEFF in it cost every cold start its compiling, 2.3 M instructions)."""
    return any(character in text for character in KEPT_FROM_LIBYAML)


_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_NUMBER_TAGS = {_TAG + "int", _TAG + "float"}
_AS_TEXT_TAGS = {_TAG + "value", _TAG + "merge"}  # '=' and '<<' as plain values: just text


def _tagname(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _refuse_tag(node, path, ctx: Problems) -> None:
    ctx.add(path, f"the YAML tag {quote(_tagname(node.tag), 80)} is not allowed",
            "plain YAML values (strings, numbers, booleans, null, lists, mappings)",
            line=node.start_mark.line + 1)


def build(node, path: tuple, ctx: Problems, loader):
    """Node -> plain Python value, recording the line of every key and list item."""
    if isinstance(node, ScalarNode):
        if node.tag in _AS_TEXT_TAGS:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            _refuse_tag(node, path, ctx)
            return INVALID
        if node.tag in _NUMBER_TAGS and len(node.value) > S.MAX_NUMBER_CHARS:
            # PyYAML reads 1:59:59:… (base 60) in quadratic time: seconds for a long one
            ctx.add(path, f"a number written with {len(node.value)} characters",
                    f"a number of at most {S.MAX_NUMBER_CHARS} characters",
                    line=node.start_mark.line + 1)
            return INVALID
        try:
            return loader.yaml_constructors[node.tag](loader, node)
        except Exception:  # noqa: BLE001 - any constructor failure is a problem line
            ctx.add(path, f"could not read {quote(node.value)} as {_tagname(node.tag)}",
                    f"a valid {_tagname(node.tag)} value", line=node.start_mark.line + 1)
            return INVALID
    if isinstance(node, SequenceNode):
        if node.tag != _TAG + "seq":
            _refuse_tag(node, path, ctx)
            return INVALID
        items = []
        for i, item in enumerate(node.value):
            ctx.lines[path + (i,)] = item.start_mark.line + 1
            items.append(build(item, path + (i,), ctx, loader))
        return items
    if not isinstance(node, MappingNode) or node.tag != _TAG + "map":
        _refuse_tag(node, path, ctx)
        return INVALID
    out: dict[str, Any] = {}
    first: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, ScalarNode):
            ctx.add(path + ("(complex key)",),
                    f"a key is {described([] if isinstance(key_node, SequenceNode) else {})}",
                    "a plain word as key", line=line)
            continue
        key_path = path + (key_node.value,)
        if key_node.tag == _TAG + "merge":
            ctx.add(key_path, "the merge key '<<' is not allowed",
                    "every key written out (case files do not use anchors or merges)", line=line)
            continue
        key = build(key_node, key_path, ctx, loader)
        if key is INVALID:
            continue
        if path == ("history",) and isinstance(key, int) and not isinstance(key, bool):
            key = str(key)  # a year of a file's history: 2019 is written unquoted
            key_path = path + (key,)
        if not isinstance(key, str):
            ctx.add(key_path, f"a key is {described(key)}",
                    "a word or slug as key (quote it to make it text)", line=line)
            continue
        if key in first:
            ctx.add(path + (key,), f"duplicate key, first written at line {first[key]} and "
                    f"again at line {line}", "each key only once", line=line)
            continue
        first[key] = line
        ctx.lines[path + (key,)] = line
        out[key] = build(value_node, path + (key,), ctx, loader)
    return out


def compose_with_libyaml(text: str):
    """(reader, root node or None when empty) read by libyaml, or None where the Python reader
    must read the text: libyaml is missing, the text is kept from it, or it found a problem."""
    if FastCaseReader is None or kept_from_libyaml(text):
        return None
    try:
        reader = FastCaseReader(text)
        return reader, reader.get_single_node()
    except Exception:  # noqa: BLE001 - the Python reader reads it again, for the documented message
        return None


def _compose(text: str, ctx: Problems):
    """Text -> (reader, root node or None when empty), or None (problems recorded)."""
    fast = compose_with_libyaml(text)
    if fast is not None:
        return fast
    try:
        loader = CaseReader(text)  # the reader checks for unprintable characters here
    except yaml.reader.ReaderError as e:
        _reader_problem(e, text, ctx)
        return None
    try:
        return loader, loader.get_single_node()
    except Refused as r:
        ctx.add("(yaml)", r.what, r.expected, line=r.line)
    except yaml.MarkedYAMLError as e:
        _yaml_problem(e, text, ctx)
    except yaml.reader.ReaderError as e:
        _reader_problem(e, text, ctx)
    except yaml.YAMLError as e:
        ctx.add("(yaml)", f"could not parse: {str(e).splitlines()[0] if str(e) else e!r}",
                "valid YAML")
    loader.dispose()
    return None


def read_tree(text: str, ctx: Problems, root_kind=MappingNode, expected="a mapping of fields "
              "(key: value lines)", empty="a mapping of fields, e.g. 'id: south-korea'"):
    """Text -> the top-level mapping (or ``root_kind``), or None (problems recorded)."""
    composed = _compose(text, ctx)
    if composed is None:
        return None
    loader, root = composed
    try:
        if root is None:
            ctx.add("(file)", "the file is empty (no content other than blanks or comments)",
                    empty)
            return None
        if not isinstance(root, root_kind):
            value = build(root, (), ctx, loader)
            if value is INVALID:
                return None
            if value is None:
                what = "the document is empty (null)"
            else:
                what = f"the document is {described(value)}"
            ctx.add("(file)", what, expected, line=root.start_mark.line + 1)
            return None
        ctx.lines[()] = 1
        tree = build(root, (), ctx, loader)
        return None if tree is INVALID else tree
    finally:
        loader.dispose()


def _reader_problem(e, text: str, ctx: Problems) -> None:
    position = e.position if isinstance(e.position, int) else 0
    line = text[:position].count("\n") + 1
    character = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or "?")
    ctx.add("(yaml)", f"the character #x{character:04x} is not allowed in YAML",
            "printable text (no control characters such as NUL)", line=line)


def _yaml_problem(e: yaml.MarkedYAMLError, text: str, ctx: Problems) -> None:
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark is not None else 1
    reason = e.problem or e.context or "invalid YAML"
    if "'\\t'" in reason and mark is not None:
        lines = text.split("\n")
        row = lines[mark.line] if mark.line < len(lines) else ""
        if not row[: mark.column].strip(" \t"):
            ctx.add("(yaml)", "a tab character is used for indentation",
                    "spaces for indentation (YAML does not allow tabs there)", line=line)
        else:
            ctx.add("(yaml)", "a tab character where YAML needs a space",
                    "spaces between a key and its value (YAML does not allow tabs there)",
                    line=line)
        return
    if e.context and "single document" in e.context:
        ctx.add("(yaml)", "a second YAML document (a '---' line) follows the first",
                "one YAML document per file", line=line)
        return
    if e.context and e.problem and e.context_mark is not None:
        reason = f"{e.problem} ({e.context} at line {e.context_mark.line + 1})"
    ctx.add("(yaml)", f"could not parse: {reason}", "valid YAML", line=line)


def read_value(text: str, path: tuple, ctx: Problems):
    """A value written on its own (``--set``'s VALUE), read as a case file's values are (no tags,
    no aliases): None if empty. Problems with the value go to ``ctx``; text that is no YAML
    value raises Refused."""
    fast = compose_with_libyaml(text)
    try:
        reader = fast[0] if fast else CaseReader(text)
    except yaml.YAMLError:
        raise Refused(None, f"the value {quote(text)} has characters YAML does not allow",
                      "printable text") from None
    try:
        node = fast[1] if fast else reader.get_single_node()
        return None if node is None else build(node, path, ctx, reader)
    except yaml.YAMLError as error:
        reason = getattr(error, "problem", None) or "invalid YAML"
        raise Refused(None, f"could not read the value {quote(text)}: {reason}",
                      "a YAML value (quote text that contains ': ' or '#')") from None
    finally:
        reader.dispose()
