"""The package's structure: imports flow one way, and each part lives where it belongs."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "graphkg"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module of the package -> the package's modules it imports (anywhere in it,
    type-checking imports included)."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("graphkg"):
                for alias in node.names:
                    child = f"{node.module}.{alias.name}"
                    found.add(child if child in modules else str(node.module))
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("graphkg")}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                return [*path[path.index(imported) :], imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_package_has_no_import_cycles() -> None:
    graph = _imports()
    assert "graphkg.server.app" in graph and graph["graphkg.server.app"]
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_query_pool_is_not_part_of_the_web_server() -> None:
    graph = _imports()
    assert not any(m.startswith("graphkg.server") for m in graph["graphkg.query_pool"])
    source = (PACKAGE / "query_pool.py").read_text(encoding="utf-8")
    assert "flask" not in source and "werkzeug" not in source
    assert not (PACKAGE / "server" / "workers.py").exists()


def test_the_query_workers_read_through_the_knowledge_graph() -> None:
    """No module but the store opens Oxigraph stores: the workers use KnowledgeGraph."""
    opening = ("Store.read_only(", "ox.Store(")
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("store.py", "remote.py", "validation.py"):
            continue  # the store itself; a remote answer's scratch store; validation's data
        source = path.read_text(encoding="utf-8")
        assert not any(call in source for call in opening), path
    assert "graphkg.store" in _imports()["graphkg.query_pool"]
