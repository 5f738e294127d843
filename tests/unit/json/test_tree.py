"""tree_nodes: data for a <details> tree view, with a node budget and exact literals."""

from __future__ import annotations

from toolbox.core.json.tree import JsonTree, tree_nodes
from toolbox.core.json.tree import rows as tree_rows


def test_tree_of_a_small_document() -> None:
    tree = tree_nodes('{"a": [1, 2.50, 1e400], "b/c": "' + "x" * 100 + '", "d": {}, "e": null, "f": true}')
    assert isinstance(tree, JsonTree) and not tree.truncated and tree.nodes == 9
    root = tree.root
    assert (root.kind, root.preview, root.count, root.pointer) == ("object", "{5 keys}", 5, "")
    a, b, d, e, f = root.children
    assert [c.preview for c in a.children] == ["1", "2.50", "1e400"]
    assert [c.pointer for c in a.children] == ["/a/0", "/a/1", "/a/2"]
    assert (b.key, b.pointer, b.kind, len(b.preview)) == ("b/c", "/b~1c", "string", 83)
    assert (d.kind, d.count, e.kind, f.kind) == ("object", 0, "null", "boolean")


def test_node_budget_cuts_and_says_so() -> None:
    tree = tree_nodes("[" + ",".join(["[1, 2, 3]"] * 100) + "]", max_nodes=10)
    assert tree.truncated and tree.nodes == 10
    assert tree.root.count == 100 and tree.root.cut
    assert sum(1 for r in tree_rows(tree) if r.event == "open") == sum(1 for r in tree_rows(tree) if r.event == "close")


def test_deep_documents_are_shown_closed_below_the_tree_depth() -> None:
    tree = tree_nodes("[" * 200 + "]" * 200, tree_depth=64)
    assert tree.truncated and tree.nodes == 65
    events = [r.event for r in tree_rows(tree)]
    assert events.count("open") == 65 and events[-1] == "close"


def test_rows_are_in_document_order() -> None:
    tree = tree_nodes('{"a": [1], "b": 2}')
    assert [(r.event, r.node.pointer) for r in tree_rows(tree)] == [
        ("open", ""), ("open", "/a"), ("leaf", "/a/0"), ("close", "/a"), ("leaf", "/b"), ("close", "")]
