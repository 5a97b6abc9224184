"""Reading YAML from a repository without trusting it (CI configurations, conda files).

Documents are *composed* with PyYAML's safe loader, never constructed: an alias stays a
reference to the node it names, so a "billion laughs" document costs no more memory than its
text, and ``walk`` visits each node once however often it is referenced. Line numbers come from
the node marks (1-based), which is what evidence needs. Anything unreadable is None.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

#: YAML files larger than this are not parsed (CI files and conda files are a few KB).
MAX_YAML_BYTES = 512_000
#: A document with more nodes than this is refused rather than walked.
MAX_NODES = 200_000


def compose(text: str) -> yaml.Node | None:
    """The first document of ``text`` as a node graph, or None when it is not readable YAML."""
    if len(text) > MAX_YAML_BYTES:
        return None
    try:
        node: yaml.Node | None = next(yaml.compose_all(text, Loader=yaml.SafeLoader), None)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    except Exception:  # noqa: BLE001 - hostile input may break the parser in unplanned ways
        return None
    return node


def walk(root: yaml.Node) -> Iterator[yaml.Node]:
    """Every node under ``root`` once (shared/aliased nodes are not revisited), iteratively."""
    seen: set[int] = set()
    stack = [root]
    while stack and len(seen) < MAX_NODES:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.append(value)
                stack.append(key)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


def mapping_get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value of ``key`` in a mapping node (first match), else None."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.Node):
            return v
    return None


def mapping_keys(node: yaml.Node | None) -> list[str]:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]


def scalar(node: yaml.Node | None) -> str | None:
    """The text of a scalar node (None for other nodes)."""
    if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
        return node.value
    return None


def line_of(node: yaml.Node) -> int:
    """1-based line where the node starts."""
    return int(node.start_mark.line) + 1
