"""Docs that cannot drift, and the layering rules of DESIGN.md."""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "projector"
HEAVY = {"numpy", "pandas", "scipy", "sklearn", "openTSNE", "umap", "plotly", "matplotlib", "polars", "pyarrow"}


def _tool():
    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "tools" / "update_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_cli_reference_matches_help():
    tool = _tool()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert tool.section(readme) == tool.expected_section(), "run: python tools/update_readme.py"


def test_readme_quick_start_is_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```bash\n(.*?)```", readme, flags=re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["pip install . && projector pca", "pip install '.[test]' && pytest"]
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


def test_every_command_has_help_with_examples():
    from projector.cli import main

    assert "Examples:" in (main.help or "")
    for name, command in main.commands.items():
        assert command.help and "Examples:" in command.help, name
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.opts} has no help"


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """(modules imported at module level, modules imported anywhere), as absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(ROOT).with_suffix("")
    package = list(rel.parts[:-1]) if rel.name != "__init__" else list(rel.parts[:-1])
    top, anywhere = set(), set()
    guarded = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            guarded.update(id(n) for n in ast.walk(node))

    def names(node) -> list[str]:
        if isinstance(node, ast.Import):
            return [a.name for a in node.names]
        if node.level:
            base = package[: len(package) - node.level + 1]
            return [".".join(base + ([node.module] if node.module else []))]
        return [node.module]

    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in guarded:
            anywhere.update(names(node))
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            top.update(names(node))
    return top, anywhere


ALLOWED = {
    "errors": set(),
    "types": {"errors"},
    "_rows": {"types", "errors"},
    "_text": set(),
    "search": {"errors", "_text"},
    "_memory": {"errors"},
    "manifest": {"errors"},
    "_projector_config": set(),
    "_images": set(),
    "_scale": set(),
    "loaders": {"types", "errors", "loaders", "_projector_config", "_images", "_memory"},
    "reducers": {"types", "errors", "reducers", "_rows", "search", "_memory", "_scale"},
    "knn": {"types", "errors", "_rows"},
    "style": {"types", "errors", "_text"},
    "exporters": {"types", "errors", "style", "exporters", "_projector_config", "_images"},
}


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_layers_and_lazy_imports(path):
    top, anywhere = _imports(path)
    layer = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    own = {m.split(".")[1] for m in anywhere if m.startswith("projector.") and m.count(".") >= 1}
    if layer in ALLOWED:
        assert own <= ALLOWED[layer], f"{layer} imports {own - ALLOWED[layer]}"
    if layer != "cli":
        assert "click" not in {m.split(".")[0] for m in anywhere}, "only cli.py imports click"
    heavy_top = {m.split(".")[0] for m in top} & (HEAVY - {"numpy", "pandas"})
    assert not heavy_top, f"import {heavy_top} inside the functions that use them"


def test_cli_starts_without_heavy_imports():
    code = (
        "import sys, projector.cli\n"
        f"print(sorted(set(m.split('.')[0] for m in sys.modules) & set({sorted(HEAVY)!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_installed_package_finds_its_sample(tmp_path):
    # Run outside the source tree, so the installed package (with its package data) is used.
    code = "import projector; v, m = projector.sample_paths(); print(v.is_file() and m.is_file())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert out.stdout.strip() == "True"
