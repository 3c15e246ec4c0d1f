"""The shape of the code, checked: apps stand in layers, no module imports its way in a circle,
imports inside functions are kept for `AppConfig.ready()`, and no module grows past a size a
newcomer can read."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lowest first: an app imports only the apps before it (config, which wires them, imports any).
LAYERS = [
    "core",
    "notifications",
    "accounts",
    "courses",
    "cohorts",
    "mentoring",
    "proposals",
    "certificates",
]
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    found = {}
    for package in [*LAYERS, "config"]:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path):
    """(imported module, line, inside a function?) for each import of one of our modules."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    parts = package.split(".")
                    base = parts[: len(parts) - (child.level - 1)]
                    module = ".".join(base + ([child.module] if child.module else []))
                else:
                    module = child.module or ""
                # `from package import submodule` imports the submodule.
                targets = [
                    f"{module}.{alias.name}" if f"{module}.{alias.name}" in MODULES else module
                    for alias in child.names
                ]
            else:
                targets = []
            for target in targets:
                while target and target not in MODULES:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    yield target, child.lineno, nested
            yield from walk(child, nested)

    yield from walk(tree, False)


GRAPH = {name: list(_imports(name, path)) for name, path in MODULES.items()}


def test_apps_import_only_the_layers_below_them():
    wrong = []
    for name, imports in GRAPH.items():
        app = name.split(".")[0]
        if app == "config":
            continue
        for target, line, _ in imports:
            other = target.split(".")[0]
            if other != app and (other == "config" or LAYERS.index(other) > LAYERS.index(app)):
                wrong.append(f"{name}:{line} imports {target}")
    assert wrong == []


def test_no_module_level_import_cycle():
    graph = {
        name: {target for target, _, nested in imports if not nested}
        for name, imports in GRAPH.items()
    }
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert cycles == []


def test_imports_inside_functions_only_in_app_ready():
    """An import inside a function hides a cycle; only `ready()` may import late, because the
    app registry must be loaded first."""
    late = [
        f"{name}:{line} imports {target}"
        for name, imports in GRAPH.items()
        for target, line, nested in imports
        if nested and not name.endswith(".apps")
    ]
    assert late == []


@pytest.mark.parametrize("package", [*LAYERS, "config", "bench"])
def test_no_module_past_the_readable_size(package):
    long = []
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts or path.name == "demo.py":
            continue
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > MAX_LINES:
            long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert long == []
