"""The import graph: no module imports a stage for a helper (helpers have their own modules)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "translate"
STAGES = frozenset({"extract", "draft", "review", "publish", "status", "sync", "absorb", "align"})
# Who may import a stage: the front ends and the commands that run other stages (sync runs the
# loop, align extracts first). Everything else imports the helpers' own modules (pages, render,
# worddiff, frontmatter, history...).
RUNS_STAGES = {
    "translate.cli": STAGES,
    "translate.web": frozenset({"draft", "review", "publish", "status"}),
    "translate.sync": frozenset({"extract", "draft", "publish", "status"}),
    "translate.align": frozenset({"extract"}),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stages_imported(path: Path) -> set[str]:
    """The stages a module imports (at the top, inside functions or for type checking alone)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) >= 2 and parts[0] == "translate" and parts[1] in STAGES:
                found.add(parts[1])
    return found


def allowed(module: str) -> frozenset[str]:
    for importer, stages in RUNS_STAGES.items():
        if module == importer or module.startswith(importer + "."):
            return stages
    return frozenset()


def test_no_module_imports_a_stage_for_a_helper() -> None:
    wrong = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        imported = stages_imported(path) - {module.split(".")[-1]} - allowed(module)
        if imported:
            wrong[module] = sorted(imported)
    assert wrong == {}


def test_the_check_sees_every_kind_of_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import translate.publish\nfrom translate import absorb\nfrom translate.pages import load_source\n"
        "def f():\n    from translate.extract import extract\n",
        encoding="utf-8",
    )
    assert stages_imported(sample) == {"publish", "absorb", "extract"}
