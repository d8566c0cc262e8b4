"""The command line: a thin layer over the library. The only module that imports typer.

Errors: every :class:`TranslateError` is rendered here, in one place, as one paragraph on
stderr with its exit code (0 ok, 1 needs attention, 2 bad input, 3 engine failure, 4 project busy;
130 when a draft is interrupted).
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from translate import __version__
from translate.errors import ConfigError, EngineError, TranslateError
from translate.model import Finding, State
from translate.project import Project, check_url, find_root, require_project

if TYPE_CHECKING:  # stages are imported by the commands that use them, so each command starts fast
    from translate.draft import DraftReport
    from translate.draft import Progress as DraftProgress
    from translate.publish import EditedPage
    from translate.review import Decisions, QueueItem


@dataclass
class _Globals:
    """The options that apply to every command, given before or after the command's name."""

    root: Path | None = None
    encoding: str | None = None


def _store_global(ctx: Any, param: Any, value: Any) -> None:
    """Callback of --root / --encoding given after a command: they win over those before it."""
    if value is not None:
        options = ctx.find_object(_Globals)
        if options is not None:
            if param.name == "root_dir":
                options.root = Path(value)
            else:
                options.encoding = value


class _Group(TyperGroup):
    """Renders TranslateError without a traceback: one paragraph, its exit code.

    Also gives every command the global options (``translate status -C site`` as well as
    ``translate -C site status``) and shows flags in help as flags, without a ``<bool>`` type.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shared = [p for p in self.params if p.name in ("root_dir", "encoding")]
        _tidy_flags(self)
        for command in _subcommands(self):
            _tidy_flags(command)
            taken = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
            for param in shared:
                if not taken & set(param.opts):
                    clone: Any = copy.copy(param)
                    clone.callback, clone.expose_value, clone.default = _store_global, False, None
                    clone.show_default = False
                    command.params.append(clone)
        for command in [self, *_subcommands(self)]:
            for param in [*command.params, command.get_help_option(typer.Context(command))]:
                _plain_values(param)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TranslateError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    add_completion=False,
    help="Translate Korean Markdown articles: extract -> draft -> review -> publish.",
)
review_app = typer.Typer(
    cls=TyperGroup, help="The review queue: list, approve, edit, reject, dismiss (no subcommand: walk it)."
)
app.add_typer(review_app, name="review")
tm_app = typer.Typer(cls=TyperGroup, help="The translation memory: export and import TMX.")
app.add_typer(tm_app, name="tm")
glossary_app = typer.Typer(cls=TyperGroup, help="The glossary: import and export CSV and TBX.")
app.add_typer(glossary_app, name="glossary")
GlossaryFormat = Annotated[
    str | None, typer.Option("--format", help="csv or tbx (default: from the file name's extension).")
]

Lang = Annotated[str | None, typer.Option("--lang", "-l", help="Only this target language.")]
Article = Annotated[str | None, typer.Option("--article", "-a", help="Only this article (slug).")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
Reviewer = Annotated[str | None, typer.Option("--reviewer", help="Your name (default: git user.name, else login).")]


def _subcommands(group: Any) -> Iterator[Any]:
    for command in group.commands.values():
        yield command
        if hasattr(command, "commands"):
            yield from _subcommands(command)


def _tidy_flags(command: Any) -> None:
    """An on/off option is shown as ``--version``, not ``--version <bool>``."""
    for param in [*command.params, command.get_help_option(typer.Context(command))]:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""


class _PlainValues:
    """A parameter's values as typer gives them, without pydantic where they need no conversion.

    typer (0.29 on) converts every value with a pydantic validator, and importing pydantic and
    building the validators is a third of a command's start-up. An absent value, a string and a
    plain path are returned here as typer returns them (tests/test_startup.py compares the two);
    any other value (a number with its range, a choice) still goes through typer's own conversion.
    """

    def __init__(self, param: Any, typer_conversion: Any) -> None:
        self.typer_conversion = typer_conversion  # param.get_runtime_param as typer defines it
        info = param.type_descriptor.parameter_info
        plain_path = not any(
            getattr(info, flag, False) for flag in ("exists", "resolve_path", "allow_dash", "writable", "path_type")
        ) and all(getattr(info, flag, True) for flag in ("file_okay", "dir_okay"))
        self.kind = {str: "str", list[str]: "strings", Path: "path" if plain_path else ""}.get(
            param.type_descriptor.annotation, ""
        )

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multiple = param.multiple or param.nargs == -1
        if value is None:
            return () if multiple else None
        if self.kind == "str" and type(value) is str:
            return value
        if self.kind == "strings" and isinstance(value, tuple | list) and all(type(v) is str for v in value):
            return list(value)
        if self.kind == "path" and type(value) is str and not (os.path.exists(value) and not os.access(value, os.R_OK)):
            return Path(value)  # typer refuses an unreadable path: that one is left to it
        return self.typer_conversion().coerce(value, param=param, ctx=ctx)


def _plain_values(param: Any) -> None:
    """Let the parameter convert its plain values without pydantic (:class:`_PlainValues`); a typer
    without per-parameter conversion (before 0.29) is left as it is."""
    own = vars(param).get("get_runtime_param")
    if own is None and hasattr(param, "get_runtime_param") and hasattr(param, "type_descriptor"):
        light = _PlainValues(param, param.get_runtime_param)
        param.get_runtime_param = lambda: light


def _count(n: int, noun: str, *, grouped: bool = False) -> str:
    """``1 segment``, ``2 segments``: a count with its noun in the right number (``31,250`` if grouped)."""
    return (f"{n:,} " if grouped else f"{n} ") + (noun if n == 1 else noun + "s")


def _globals(ctx: typer.Context) -> _Globals:
    return ctx.find_object(_Globals) or _Globals()


def _project(ctx: typer.Context) -> Project:
    """The project: the folder given with --root, else the one the current folder is in (searched upwards)."""
    options = _globals(ctx)
    if options.root is None:
        root = find_root(Path.cwd())
    else:
        root = options.root
        if root.is_dir():
            require_project(root)
    return Project.open(root, encoding=options.encoding)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"translate {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    root_dir: Annotated[
        Path | None,
        typer.Option(
            "--root",
            "-C",
            help="The project folder (default: the current folder's project, found upwards as git finds a repository).",
        ),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Encoding of the Korean articles if not UTF-8 (e.g. cp949).")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Translate Korean Markdown articles: extract -> draft -> review -> publish."""
    ctx.obj = _Globals(root_dir, encoding)


@app.command("init")
def init_command(
    ctx: typer.Context,
    target: Annotated[
        list[str] | None,
        typer.Option("--target", "-t", help="A target language; repeat for more (default: en)."),
    ] = None,
) -> None:
    """Make the current folder (or --root) a project: settings, glossary.yaml, content/ko/, .gitignore lines."""
    from translate.init import init_project

    options = _globals(ctx)
    folder = options.root
    if folder is None:
        folder = Path.cwd().resolve()
        above = None
        with contextlib.suppress(ConfigError):
            above = find_root(folder)
        if above is not None and above != folder:  # a project inside a project is a mistake unless asked for
            raise ConfigError(
                f"this folder is inside the project at {above}, which the commands run here already use; "
                f"nothing was written. To start a separate project here all the same, run "
                f"`translate init --root {shlex.quote(str(folder))}`."
            )
    report = init_project(folder, tuple(dict.fromkeys(target or ["en"])), options.encoding)
    for note in report.notes:
        typer.echo(f"note: {note}", err=True)
    for created in report.created:
        typer.echo(f"created {created}")
    for updated in report.updated:
        typer.echo(f"updated {updated}")
    for kept in report.kept:
        typer.echo(f"kept {kept}: it was already there")
    if not report.created and not report.updated:
        typer.echo(f"{report.root} is already a project; nothing was changed.")
    else:
        typer.echo(
            f"{report.root} is a project. Put the Korean articles (Markdown with front matter) in content/ko/, "
            "add the clinic's terms to glossary.yaml, then run `translate extract`."
        )


@app.command("extract")
def extract_command(ctx: typer.Context, article: Article = None, lang: Lang = None) -> None:
    """Extract source articles into sentence segments (po/<lang>/<slug>.po)."""
    from translate.extract import extract as run_extract

    report = run_extract(_project(ctx), article, lang)
    for target, old, new in report.renamed:
        typer.echo(f"renamed {old} -> {new} [{target}]: its translations and page moved with it")
    for path in report.written:
        typer.echo(f"updated {path}")
    for item in report.untranslatable:
        typer.echo(
            f"warning: {item.path}:{item.line}: Korean that will not be translated: {item.text} ({item.where}); "
            f"{item.hint}.",
            err=True,
        )
    left = len(report.untranslatable)
    typer.echo(
        f"{_count(report.segments, 'segment')}; {_count(len(report.written), 'PO file')} updated, "
        f"{len(report.unchanged)} unchanged."
        + (
            f" {_count(left, 'Korean text')} will not be translated (listed above): publish refuses a page that still "
            "shows Korean."
            if left
            else ""
        )
    )


@app.command("draft")
def draft_command(
    ctx: typer.Context,
    article: Article = None,
    lang: Lang = None,
    engine: Annotated[
        list[str] | None,
        typer.Option(
            "--engine",
            "-e",
            help="MT engine (libre, google, mymemory, deepl, microsoft, papago, llm); repeat for a fallback chain. "
            "Default: settings.",
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help="Server or endpoint URL of the first engine (libre: else $LIBRETRANSLATE_URL; "
            "llm: the API base such as http://127.0.0.1:11434/v1, else $LLM_BASE_URL).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Send and write nothing: say what would be sent and what it would cost.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Also redraft rejected segments, asking the engine again (no cache).")
    ] = False,
    redraft: Annotated[
        bool,
        typer.Option(
            "--redraft",
            help="Also ask the engine again (not memory or cache) for existing drafts, rejected ones included; "
            "never for approved ones. Narrow it with --origin and --check.",
        ),
    ] = False,
    origin: Annotated[
        list[str] | None,
        typer.Option("--origin", help="With --redraft/--refresh: only drafts whose origin starts so (mt:libre, tm)."),
    ] = None,
    check: Annotated[
        list[str] | None,
        typer.Option("--check", help="With --redraft/--refresh: only drafts with this finding (untranslated-korean)."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, max=64, help="Requests in flight at once (default: settings).")
    ] = None,
    as_json: Json = False,
) -> None:
    """Draft untranslated segments: translation memory, then the MT cache, then machine translation."""
    from translate.draft import Redraft, iter_failures
    from translate.draft import draft as run_draft

    if url is not None:
        check_url(url, "--url")
    if (origin or check) and not (redraft or refresh):
        raise ConfigError("--origin and --check choose drafts to redraft: use them with --redraft (or --refresh).")
    selection = None
    if redraft or refresh:
        states = {State.DRAFT, State.REJECTED} if redraft else {State.REJECTED}
        selection = Redraft(frozenset(states), tuple(origin or ()), tuple(check or ()))
    project = _project(ctx)
    with _DraftProgress() as progress:
        report = run_draft(
            project,
            article,
            lang,
            engines=engine,
            url=url,
            dry_run=dry_run,
            redraft=selection,
            workers=workers,
            on_progress=progress.update,
        )
    for note in report.notes:
        typer.echo(f"note: {note}", err=True)
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    elif report.dry_run:
        _echo_dry_run(report)
    if report.dry_run:
        return
    if not as_json:
        _echo_draft(report)
    if report.interrupted:
        typer.echo(
            f"Interrupted: every draft received is saved; {_count(report.left, 'segment')} "
            f"{'waits' if report.left == 1 else 'wait'}. "
            "Run `translate draft` again to resume (nothing received is paid for twice).",
            err=True,
        )
        raise typer.Exit(130)
    if report.engine_error is not None:
        raise EngineError(
            f"machine translation is needed for {_count(report.left, 'segment')} and failed: "
            f"{str(report.engine_error).rstrip('.')}. Drafts received are saved. "
            f"{_engine_advice(project, engine, url)}; then run `translate draft` again."
        )
    if report.failures:
        kept = sum(failure.kept for failure in report.failures)
        for line in iter_failures(report):
            typer.echo(f"failed: {line}", err=True)
        one = len(report.failures) == 1
        what = "stay untranslated" if not kept else "keep what they had (untranslated, or their earlier draft)"
        if one:
            what = "stays untranslated" if not kept else "keeps what it had (untranslated, or its earlier draft)"
        typer.echo(
            f"{_count(len(report.failures), 'segment')} failed and {what}; run `translate draft` again to retry "
            f"{'it' if len(report.failures) == 1 else 'them'}.",
            err=True,
        )
        raise typer.Exit(1)


def _engine_advice(project: Project, engines: list[str] | None, url: str | None) -> str:
    """What to do about engines that could not be reached, naming what chose each one's address
    (--url, engine_url or engine_urls in the settings, or the environment variable)."""
    from translate.draft import engine_chain, url_origin

    chain = engine_chain(project.settings, engines, url)
    advice = []
    for name in chain:
        origin = url_origin(name, chain, project.settings, url)
        if origin is None:
            continue
        if origin == "--url":
            advice.append(f"the address of {name} is the one given with --url: start the server there, or pass another")
        elif origin.startswith("the environment variable"):
            advice.append(f"the address of {name} comes from {origin}: start the server there, or set it to another")
        else:
            advice.append(
                f"the address of {name} comes from {origin} ({project.root / 'pyproject.toml'}): start the server "
                "there, or change that setting (--url overrides it for one run)"
            )
    if not advice:
        return "Check this machine's connection to the engine, or choose another engine with --engine"
    text = "; ".join([*advice, "or choose another engine with --engine"])
    return text[0].upper() + text[1:]


def _echo_draft(report: DraftReport) -> None:
    approved = f" ({report.approved_from_memory} approved automatically)" if report.approved_from_memory else ""
    kept = sum(failure.kept for failure in report.failures)
    redrafts = f" ({_count(report.redrafts, 'existing draft')} sent again)" if report.redrafts else ""
    kept_part = f", {kept} kept {'its' if kept == 1 else 'their'} earlier draft" if kept else ""
    typer.echo(
        f"{report.from_memory} drafted from translation memory{approved}, {report.from_cache} from the MT cache, "
        f"{report.from_engine} by machine translation{redrafts}, {report.left - kept} left untranslated"
        f"{kept_part}; {_count(report.findings, 'finding')} for review."
    )
    for use in report.engines:
        if use.requests or use.cached:
            refused = ""
            if use.refused:
                were = "answer was not a translation" if use.refused == 1 else "answers were not translations"
                refused = f"; {use.refused} {were}"
            sent = f"{_count(use.characters, 'character', grouped=True)} sent"
            if use.by_tokens:
                sent += f", {use.prompt_tokens:,} + {use.completion_tokens:,} tokens"
            typer.echo(
                f"  {use.name}: {_count(use.segments, 'text')}, {sent} "
                f"({_count(use.requests, 'request')}, {use.cost:.2f} {report.currency}); {use.cached} from its cache"
                f"{refused}"
            )
            if use.glossary_share is not None:
                typer.echo(
                    f"    glossary: {use.glossary_followed} of {_count(use.glossary_segments, 'draft')} with glossary "
                    f"terms used every one as it came ({use.glossary_share:.0%}); "
                    f"{_count(use.glossary_repairs, 'Korean term')} repaired"
                )


def _echo_dry_run(report: DraftReport) -> None:
    typer.echo("Dry run: nothing was sent or written.")
    typer.echo(
        f"{_count(report.from_memory, 'segment')} would be drafted from translation memory, {report.from_cache} from "
        f"the MT cache; {_count(report.left, 'segment')} {'needs' if report.left == 1 else 'need'} machine translation"
        f"{f' ({report.redrafts} of them existing drafts, sent again)' if report.redrafts else ''}: "
        f"{_count(report.texts, 'distinct text')}, {_count(report.characters, 'character', grouped=True)}."
    )
    first = next((use for use in report.engines if not use.down), None)
    characters = _count(report.characters, "character", grouped=True)
    for use in report.engines:
        cost = report.characters * use.price / 1_000_000
        price = f"{use.price:g} {report.currency} per million characters"
        if use.by_tokens:
            cost = use.cost
            price = (
                f"{_count(use.requests, 'request')} of about {use.prompt_tokens:,} prompt and "
                f"{use.completion_tokens:,} "
                f"completion tokens at {use.token_prices[0]:g} and {use.token_prices[1]:g} {report.currency} "
                "per million"
            )
        if use.down:
            typer.echo(f"  {use.name}: not usable: {use.down}")
        elif use is first:
            typer.echo(
                f"  {use.name}: {_count(report.texts, 'segment')}, {characters}, "
                f"estimated cost {cost:.2f} {report.currency} ({price})"
            )
        else:
            typer.echo(
                f"  {use.name} (fallback): only what {first.name if first else '-'} fails on: at most "
                f"{_count(report.texts, 'segment')}, {characters}, {cost:.2f} {report.currency} ({price})"
            )


class _DraftProgress:
    """A rich progress bar on stderr while texts come back (only on a terminal)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _DraftProgress:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("drafting"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed, {task.fields[chars]:,} characters sent"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )
            self._bar.start()
        return self

    def update(self, progress: DraftProgress) -> None:
        if self._bar is None:
            return
        if self._task is None:
            self._task = self._bar.add_task("drafting", total=progress.total, failed=0, chars=0)
        self._bar.update(
            self._task,
            completed=progress.done + progress.failed,
            failed=progress.failed,
            chars=progress.characters,
        )

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


@tm_app.command("export")
def tm_export(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The TMX file to write.")],
    lang: Lang = None,
) -> None:
    """Write the project's approved translations as TMX 1.4 (no drafts, no imported memories)."""
    from translate.tm import export_tmx

    count = export_tmx(_project(ctx), path, lang)
    typer.echo(f"{_count(count, 'translation unit')} written to {path}.")


@glossary_app.command("export")
def glossary_export(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The CSV or TBX file to write.")],
    fmt: GlossaryFormat = None,
) -> None:
    """Write glossary.yaml as CSV or TBX (every term, its variants, note and keep flag)."""
    from translate.glossary_io import export_glossary

    count = export_glossary(_project(ctx), path, fmt)
    typer.echo(f"{_count(count, 'term')} written to {path}.")


@glossary_app.command("import")
def glossary_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A CSV (Korean, English, note… columns) or TBX file.")],
    fmt: GlossaryFormat = None,
) -> None:
    """Merge terms from CSV or TBX into glossary.yaml: new terms added, changed ones updated in place."""
    from translate.glossary_io import import_glossary

    report = import_glossary(_project(ctx), path, fmt)
    for note in report.notes:
        typer.echo(f"note: {path}: {note}", err=True)
    typer.echo(f"{_count(report.added, 'term')} added, {report.updated} updated, {report.unchanged} unchanged.")


@tm_app.command("import")
def tm_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A TMX file from another tool.")],
    lang: Lang = None,
) -> None:
    """Merge a TMX memory into the project's memory folder (tm/); drafts use it from then on."""
    from translate.tm import import_tmx

    report = import_tmx(_project(ctx), path, lang)
    for written in report.written:
        typer.echo(f"updated {written}")
    typer.echo(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.skipped} skipped (no translation between the project's languages)."
    )


def _findings_text(findings: list[Finding]) -> str:
    return "; ".join(f"{f.severity.value} {f.check}: {f.message}" for f in findings)


@review_app.callback(invoke_without_command=True)
def review_walk(ctx: typer.Context, lang: Lang = None, article: Article = None, reviewer: Reviewer = None) -> None:
    """Walk the review queue: approve, edit (in your editor), reject, skip or quit, one segment at a time."""
    from translate.review import default_reviewer, queue

    if ctx.invoked_subcommand is not None:
        return
    project = _project(ctx)
    name = reviewer or default_reviewer()
    items = [i for i in queue(project, lang, article) if i.unit.state is not State.UNTRANSLATED]
    if not items:
        typer.echo("Nothing awaits review.")
        return
    editor = _find_editor()
    actions = f"[a]pprove, [e]dit in {editor[1]}" if editor else "[a]pprove, [e]dit (no editor found)"
    tally: Counter[str] = Counter()
    try:
        for number, item in enumerate(items, 1):
            _show(item, f"[{number}/{len(items)}]")
            choice = typer.prompt(f"{actions}, [r]eject, [s]kip, [q]uit", default="s").strip().lower()[:1]
            if choice == "q":
                break
            tally[_walk_step(project, item, choice, name, editor)] += 1
    except (typer.Abort, EOFError):  # Ctrl-D or Ctrl-C at a prompt: what was decided is saved
        typer.echo("")
    _walk_summary(tally, len(items))


def _walk_step(project: Project, item: QueueItem, choice: str, name: str, editor: tuple[list[str], str] | None) -> str:
    """Carry out one answer of the review walk, say what it did, and return the outcome's name."""
    from translate.approval import open_findings
    from translate.review import approve, edit, reject

    where = f"{item.id} {item.article} [{item.lang}]"
    if choice == "a":
        findings = open_findings(item.unit)
        force = bool(findings) and typer.confirm("It has findings. Approve anyway?", default=False)
        if findings and not force:
            typer.echo(f"not approved: {where} stays a draft because of its findings ({_checks(findings)}).")
            return "kept as a draft"
        decisions = approve(project, [item.id], lang=item.lang, article=item.article, force=force, reviewer=name)
        return _walk_outcome(decisions, "approved over the findings" if force else "approved")
    if choice == "e":
        if editor is None:
            typer.echo(
                "no editor found: set $EDITOR (or $VISUAL), or give the text with "
                f"`translate review edit {item.id} --text …`. Skipped {where}."
            )
            return "skipped"
        text = _edit_in_editor(item, editor[0])
        if text is None or text == item.unit.target.strip():
            typer.echo(f"skipped: {where}: you left the translation as it was, so nothing was saved.")
            return "skipped"
        if not text:
            typer.echo(f"skipped: {where}: you saved an empty translation, so nothing was saved.")
            return "skipped"
        decisions = edit(project, item.id, text, lang=item.lang, article=item.article, reviewer=name)
        return _walk_outcome(decisions, "approved your edit")
    if choice == "r":
        reason = typer.prompt("Reason (kept for the translator)")
        decisions = reject(project, item.id, reason, lang=item.lang, article=item.article, reviewer=name)
        return _walk_outcome(decisions, "rejected", f" (back to the translator: {reason})")
    typer.echo(f"skipped: {where}")
    return "skipped"


def _walk_outcome(decisions: Decisions, verb: str, extra: str = "") -> str:
    """Say what a decision of the walk did to each segment; the outcome's name for the summary."""
    from translate.worddiff import word_diff

    outcome = "skipped"
    for item in decisions.done:
        where = f"{item.id} {item.article} [{item.lang}]"
        if item.changed_from is not None:
            typer.echo(f"the Korean of {item.id} changed: {word_diff(item.changed_from, item.unit.source)}")
        if verb == "approved your edit" and item.unit.state is not State.APPROVED:
            typer.echo(
                f"kept as a draft: {where}: your edit is saved, but a check found something in it "
                f"({_findings_text(item.unit.findings)}). Press e to edit it again, or approve it over the findings "
                f"with a (or `translate review approve {item.id} --force`)."
            )
            outcome = "kept as a draft"
        else:
            typer.echo(f"{verb}: {where}{extra}")
            outcome = "rejected" if verb == "rejected" else "approved"
    for item, reason in decisions.refused:
        typer.echo(f"not done: {item.id} {item.article} [{item.lang}]: {reason}")
        outcome = "kept as a draft" if outcome == "skipped" else outcome
    return outcome


def _walk_summary(tally: Counter[str], total: int) -> None:
    seen = sum(tally.values())
    parts = [f"{tally[name]} {name}" for name in ("approved", "kept as a draft", "rejected", "skipped") if tally[name]]
    left = f"; {total - seen} not reached" if seen < total else ""
    typer.echo(f"\nReviewed {seen} of {_count(total, 'segment')}: {', '.join(parts) or 'no decision'}{left}.")
    if tally["approved"]:
        typer.echo("Approved translations reach the pages with `translate publish`.")
    if tally["kept as a draft"] or seen < total or tally["skipped"]:
        typer.echo("What is left waits in `translate review list`; run `translate review` again to go on.")


def _checks(findings: list[Finding]) -> str:
    return ", ".join(dict.fromkeys(f.check for f in findings))


def _find_editor() -> tuple[list[str], str] | None:
    """The editor to open: $VISUAL, $EDITOR, else the first of sensible-editor, nano, vi that is
    installed; with how to name it in the prompt."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            command = shlex.split(value)
            return command, f"{Path(command[0]).name} (${variable})"
    for name in ("sensible-editor", "nano", "vi"):
        if shutil.which(name):
            return [name], f"{name} (set $EDITOR to choose)"
    return None


SCISSORS = "# ------------------------ >8 ------------------------"


def editor_buffer(item: QueueItem) -> str:
    """What the editor opens: the translation, then, below a cut line, the source, the glossary terms
    and the findings as comment lines (removed when the text is read back)."""
    from translate.approval import open_findings
    from translate.worddiff import word_diff

    unit = item.unit
    notes = [
        "Edit the translation above the cut line; the cut line and everything below it are removed.",
        "Quit without saving a change to leave the translation as it is.",
        f"{item.id}  {item.article} [{item.lang}]  {unit.label}",
        f"source: {unit.source}",
    ]
    if unit.previous_source:
        notes.append(f"source changed: {word_diff(unit.previous_source, unit.source)}")
    notes += unit.notes
    notes += [f"{f.severity.value} {f.check}: {f.message}" for f in open_findings(unit)]
    notes += [suggestion.text() for suggestion in item.suggestions]
    comments = "".join(f"# {' '.join(note.splitlines())}\n" for note in notes)
    return f"{unit.target}\n\n{SCISSORS}\n{comments}"


def read_editor_buffer(text: str) -> str:
    """The translation the reviewer saved: the text above the cut line, without ``# `` comment lines."""
    kept = text.split(SCISSORS, 1)[0]
    return "\n".join(line for line in kept.splitlines() if not (line == "#" or line.startswith("# "))).strip()


def _edit_in_editor(item: QueueItem, command: list[str]) -> str | None:
    """Open the segment in the editor; the text saved, or None when the file was left unchanged."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"translation-{item.id}.txt"
        path.write_text(editor_buffer(item), encoding="utf-8")
        before = path.read_bytes()
        subprocess.run([*command, str(path)], check=False)
        if not path.is_file() or path.read_bytes() == before:
            return None
        return read_editor_buffer(path.read_text(encoding="utf-8", errors="replace"))


def _show(item: QueueItem, prefix: str = "") -> None:
    from translate.approval import settled
    from translate.review import comments
    from translate.worddiff import word_diff

    unit = item.unit
    typer.echo(
        f"\n{prefix} {item.id}  {item.article} [{item.lang}]  {unit.label}"
        f"{'  (' + unit.origin + ')' if unit.origin else ''}"
    )
    typer.echo(f"  source: {unit.source}")
    if unit.previous_source:
        typer.echo(f"  source changed: {word_diff(unit.previous_source, unit.source)}")
    typer.echo(f"  target: {unit.target}")
    for kept in item.kept_notes():
        typer.echo(f"  note: {kept}")
    for note in unit.notes:
        typer.echo(f"  {note}")
    done = settled(unit) if unit.findings else {}
    for finding in unit.findings:
        shown = f"{finding.severity.value} {finding.check}: {finding.message}"
        typer.echo(f"  - {shown} ({done[finding.check].settles()})" if finding.check in done else f"  ! {shown}")
    if item.blocking:
        checks = ", ".join(dict.fromkeys(f.check for f in item.blocking))
        typer.echo(
            f"  ! approved, but publish refuses it: {checks} error on this text, not overridden "
            f"(`review edit {item.id}`, `review approve {item.id} --force`, or a wrong finding: "
            f"`review dismiss {item.id} CHECK --reason …`)"
        )
    for suggestion in item.suggestions:
        typer.echo(f"  {suggestion.text()}")
    for remark in comments(unit):
        typer.echo(f"  comment by {remark.who or 'someone'} on {remark.when}: {remark.reason}")
    if unit.history:
        typer.echo(f"  last: {unit.history[-1]}")


def _report(decisions: Decisions, verb: str = "done") -> None:
    from translate.worddiff import word_diff

    for item in decisions.done:
        if item.changed_from is not None:
            typer.echo(f"the Korean of {item.id} changed: {word_diff(item.changed_from, item.unit.source)}")
        typer.echo(f"{verb}: {item.id} {item.article} [{item.lang}]")
    for item, reason in decisions.refused:
        typer.echo(f"refused: {item.id} {item.article} [{item.lang}]: {reason}", err=True)


def _echo_json_list(rows: Iterable[object], piece: int = 1 << 16) -> None:
    """Print rows as ``json.dumps(list(rows), ensure_ascii=False, indent=2)`` prints them, written
    row by row: the list of a 50 MB article is never one string (nor its encoder's pieces) in memory."""
    pending: list[str] = []
    size = 0
    started = False
    for row in rows:
        text = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")  # one level deeper
        pending.append((",\n  " if started else "[\n  ") + text)
        started = True
        size += len(text)
        if size >= piece:
            typer.echo("".join(pending), nl=False)
            pending.clear()
            size = 0
    typer.echo("".join(pending) + ("\n]" if started else "[]"))


@review_app.command("list")
def review_list(
    ctx: typer.Context,
    lang: Lang = None,
    article: Article = None,
    as_json: Json = False,
    all_states: Annotated[bool, typer.Option("--all", help="Approved segments too.")] = False,
    state: Annotated[list[State] | None, typer.Option("--state", help="Only segments in this state.")] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Only segments whose Korean or translation holds this text.")
    ] = None,
) -> None:
    """List what awaits review (drafts with findings first)."""
    from translate.review import QUEUE_STATES, queue_stream

    states = state or (tuple(State) if all_states or search else QUEUE_STATES)  # a search: a concordance
    items = queue_stream(_project(ctx), lang, article, states, search=search or "")
    if as_json:
        _echo_json_list({**i.as_json(), "previous_source": i.unit.previous_source} for i in items)
        return
    count = 0
    for item in items:
        _show(item)
        count += 1
    typer.echo(f"\n{_count(count, 'segment')}.")


@review_app.command("approve")
def review_approve(
    ctx: typer.Context,
    ids: Annotated[list[str] | None, typer.Argument(help="Segment ids (or unique prefixes) to approve.")] = None,
    all_drafts: Annotated[bool, typer.Option("--all", help="Approve every clean draft.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Approve despite findings (recorded).")] = False,
    lang: Lang = None,
    article: Article = None,
    reviewer: Reviewer = None,
) -> None:
    """Approve drafts; a draft with findings is refused unless --force."""
    from translate.review import approve

    if not ids and not all_drafts:
        raise typer.BadParameter("name the segment ids to approve, or use --all.")
    decisions = approve(
        _project(ctx),
        None if all_drafts else ids,
        lang=lang,
        article=article,
        force=force,
        reviewer=reviewer,
    )
    _report(decisions, "approved")
    typer.echo(f"{len(decisions.done)} approved, {len(decisions.refused)} refused.")
    if decisions.refused:
        raise typer.Exit(1)


@review_app.command("edit")
def review_edit(
    ctx: typer.Context,
    segment: Annotated[str, typer.Argument(help="Segment id.")],
    text: Annotated[str, typer.Option("--text", "-t", help="Your translation.")],
    force: Annotated[bool, typer.Option("--force", help="Approve despite findings (recorded).")] = False,
    lang: Lang = None,
    article: Article = None,
    reviewer: Reviewer = None,
) -> None:
    """Replace a translation with your own; it is checked, then approved (kept as a draft if checks find something)."""
    from translate.review import edit
    from translate.worddiff import word_diff

    decisions = edit(_project(ctx), segment, text, lang=lang, article=article, force=force, reviewer=reviewer)
    pending = [i for i in decisions.done if i.unit.state is not State.APPROVED]
    for item in decisions.done:
        state = "approved" if item.unit.state is State.APPROVED else "saved as draft"
        if item.changed_from is not None:
            typer.echo(f"the Korean of {item.id} changed: {word_diff(item.changed_from, item.unit.source)}")
        typer.echo(f"{state}: {item.id} {item.article} [{item.lang}]")
        if item.unit.findings:
            typer.echo(f"  findings: {_findings_text(item.unit.findings)}", err=True)
    if pending:
        typer.echo("Fix the findings and edit again, or add --force to approve anyway.", err=True)
        raise typer.Exit(1)


@review_app.command("reject")
def review_reject(
    ctx: typer.Context,
    segment: Annotated[str, typer.Argument(help="Segment id.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why: kept for the translator.")],
    lang: Lang = None,
    article: Article = None,
    reviewer: Reviewer = None,
) -> None:
    """Send a translation back to the translator with a reason."""
    from translate.review import reject

    decisions = reject(_project(ctx), segment, reason, lang=lang, article=article, reviewer=reviewer)
    _report(decisions, "rejected")
    if decisions.refused:
        raise typer.Exit(1)


@review_app.command("dismiss")
def review_dismiss(
    ctx: typer.Context,
    segment: Annotated[str, typer.Argument(help="Segment id.")],
    check: Annotated[str, typer.Argument(help="The check whose finding is wrong here (numbers, markup …).")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why the finding is wrong here: recorded.")],
    lang: Lang = None,
    article: Article = None,
    reviewer: Reviewer = None,
) -> None:
    """Dismiss a finding on a translation's current text, with a reason; it comes back if the text changes."""
    from translate.review import dismiss

    decisions = dismiss(_project(ctx), segment, check, reason, lang=lang, article=article, reviewer=reviewer)
    for item in decisions.done:
        typer.echo(f"dismissed: {check.strip().lower()} on {item.id} {item.article} [{item.lang}] ({item.unit.label})")


@review_app.command("comment")
def review_comment(
    ctx: typer.Context,
    segment: Annotated[str, typer.Argument(help="Segment id (or a unique prefix of 4+ characters).")],
    text: Annotated[str, typer.Argument(help="The comment, for the next reader: kept in the PO file.")],
    lang: Lang = None,
    article: Article = None,
    reviewer: Reviewer = None,
) -> None:
    """Comment on a segment, as the review page does: kept in its PO file, shown by `review list` and the page."""
    from translate.review import comment

    decisions = comment(_project(ctx), segment, text, lang=lang, article=article, reviewer=reviewer)
    for item in decisions.done:
        typer.echo(f"commented: {item.id} {item.article} [{item.lang}] ({item.unit.label})")
    if len({item.article for item in decisions.done}) > 1:
        typer.echo(
            f"The sentence is in {len({item.article for item in decisions.done})} articles: each has the comment "
            "(give --article SLUG to comment on one).",
            err=True,
        )


@app.command("check")
def check_command(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help="PO files, pages or folders (default: all).")] = None,
    lang: Lang = None,
    as_json: Json = False,
) -> None:
    """Run the quality checks over PO files and published pages; exit 1 when any finds an error."""
    from translate.checks import check_project

    project = _project(ctx)
    for path in paths or []:
        project.inside(path.absolute(), "Give PO files, pages or folders of this project.")
    problems = check_project(project, paths or [], lang)
    errors = sum(p.failing for p in problems)
    dismissed = sum(p.dismissed is not None for p in problems)
    if as_json:
        typer.echo(json.dumps([p.as_json() for p in problems], ensure_ascii=False, indent=2))
    else:
        for p in problems:
            where = f"{p.path}:{p.line}" if p.line else str(p.path)
            ident = f" [{p.segment}]" if p.segment else ""
            if p.dismissed is not None:  # listed, so that nothing is hidden, but it fails nothing
                settles = f"{p.finding.severity.value} {p.dismissed.settles()}"
                typer.echo(f"{where}:{ident} info {p.finding.check}: {p.finding.message} ({settles})")
            else:
                typer.echo(f"{where}:{ident} {p.finding.severity.value} {p.finding.check}: {p.finding.message}")
        warnings = len(problems) - errors - dismissed
        also = f", {dismissed} dismissed" if dismissed else ""
        typer.echo(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}{also}.")
    if errors:
        raise typer.Exit(1)


@app.command("publish")
def publish_command(ctx: typer.Context, article: Article = None, lang: Lang = None) -> None:
    """Write content/<lang>/<slug>.md for every article whose segments are all approved."""
    from translate.publish import publish as run_publish

    report = run_publish(_project(ctx), article, lang)
    for path in report.written:
        typer.echo(f"published {path}")
    for blocked in report.blocked:
        counts = ", ".join(f"{n} {state}" for state, n in sorted(blocked.counts.items()))
        if blocked.findings:
            refused = "; ".join(f"{ident} ({', '.join(checks)})" for ident, checks in blocked.findings)
            counts = ", ".join(
                [
                    *([counts] if counts else []),
                    f"approved translations with errors no one overrode on their text: {refused}; fix them with "
                    "`translate review edit ID`, approve over the findings with "
                    "`translate review approve ID --force`, or dismiss a wrong finding with "
                    "`translate review dismiss ID CHECK --reason …`",
                ]
            )
        if blocked.errors:
            counts = "the page checks found errors: " + "; ".join(blocked.errors)
        typer.echo(
            f"not published: {blocked.article} [{blocked.lang}]: {counts}"
            f"{' (e.g. ' + ', '.join(blocked.sample_ids) + ')' if blocked.sample_ids else ''}",
            err=True,
        )
    _report_edited(report.edited)
    typer.echo(
        f"{len(report.written)} published, {len(report.unchanged)} unchanged, {len(report.blocked)} waiting for review."
    )
    if report.blocked or report.edited:
        raise typer.Exit(1)


@app.command("status")
def status_command(
    ctx: typer.Context,
    article: Article = None,
    lang: Lang = None,
    as_json: Json = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit with code 1 when anything is stale (for CI or a pre-commit hook).")
    ] = False,
) -> None:
    """Per article and language: segments by state, the published page's state and the next step."""
    from translate.status import PAGE_STATES, status_rows

    project = _project(ctx)
    rows, bad_files = status_rows(project, article, lang)  # one bad file never hides the table of the others
    _note_unchecked_notices(project, lang)
    if as_json:
        typer.echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
    else:
        header = (
            f"{'article':30} {'lang':5} {'total':>5} {'approved':>8} {'draft':>5} {'rejected':>8} "
            f"{'untransl.':>9}  {'page':19} next"
        )
        typer.echo(header)
        for r in rows:
            c = r.counts
            typer.echo(
                f"{r.article:30} {r.lang:5} {r.total:5} {c['approved']:8} {c['draft']:5} {c['rejected']:8} "
                f"{c['untranslated']:9}  {r.page:19} {r.next_step}"
            )
        pages = Counter(r.page for r in rows)
        summary = ", ".join(f"{pages[state]} {state}" for state in PAGE_STATES if pages[state])
        stale = sum(r.stale for r in rows)
        unread = len(bad_files.errors)
        unreadable = f"; {_count(unread, 'article')} could not be read (below)" if unread else ""
        typer.echo(
            f"\n{_count(len(rows), 'article page')}: {summary or 'none'}; {stale} with something to do{unreadable}."
        )
        if not rows and not bad_files.errors and not project.articles(article):
            typer.echo(f"There are no Korean articles in {project.source_dir} yet: add Markdown files there.")
        for r in rows:
            if r.blocked:
                typer.echo(
                    f"not publishable: {r.article} [{r.lang}]: {_count(r.blocked, 'approved segment')} "
                    f"{'has' if r.blocked == 1 else 'have'} errors on their text that no one overrode; see "
                    "`translate review list`."
                )
    if check and any(r.stale for r in rows):
        for r in rows:
            if r.stale:
                typer.echo(f"stale: {r.article} [{r.lang}]: {r.page}, next: translate {r.next_step}", err=True)
    bad_files.raise_errors()
    if check and any(r.stale for r in rows):
        raise typer.Exit(1)


def _note_unchecked_notices(project: Project, lang: str | None) -> None:
    """Say which target languages no legal notice is checked on (none configured, none built in)."""
    from translate.notices import unchecked_languages, unchecked_message

    for unchecked in unchecked_languages(project.settings):
        if lang is None or lang == unchecked:
            typer.echo(f"note: {unchecked_message(unchecked)}", err=True)


def _report_edited(pages: list[EditedPage]) -> None:
    for page in pages:
        if page.tracked:
            typer.echo(
                f"not published: {page.path} was edited by hand after it was published, and publishing would "
                f"overwrite that edit. Run `translate absorb {page.article} --lang {page.lang}` to take the edits "
                "into the PO file (or undo them), then publish again.",
                err=True,
            )
        else:
            typer.echo(
                f"not published: {page.path} exists and was not written by translate. Bring it under the workflow "
                f"with `translate align` (the Korean article and this page), then review and publish.",
                err=True,
            )


@app.command("absorb")
def absorb_command(
    ctx: typer.Context,
    article: Annotated[str | None, typer.Argument(help="Only this article (slug).")] = None,
    lang: Lang = None,
    review: Annotated[bool, typer.Option("--review", help="Keep the edits as drafts for review.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Approve edits despite findings (recorded).")] = False,
    reviewer: Reviewer = None,
) -> None:
    """Take sentences edited by hand on published pages back into the PO files, so publish works again."""
    from translate.absorb import absorb as run_absorb
    from translate.review import default_reviewer

    results = run_absorb(
        _project(ctx), article, lang, reviewer=reviewer or default_reviewer(), review=review, force=force
    )
    attention = False
    for result in results:
        for taken in result.edits:
            typer.echo(f"{taken.state.value}: {result.article} [{result.lang}] {taken.source[:50]}")
            typer.echo(f"  was: {taken.before}\n  now: {taken.after}")
            for sentence in taken.added:
                typer.echo(f"  added, with no Korean source (kept as a draft for review): {sentence}")
            attention |= (taken.state is not State.APPROVED and not review) or bool(taken.added)
        for change in result.unplaced:
            typer.echo(f"not absorbed: {result.page}: {change}", err=True)
        if result.unplaced:
            attention = True
            typer.echo(
                f"{result.page} stays protected from publish: a PO file cannot hold these changes. Make them in the "
                "Korean article (or undo them on the page), then run absorb again.",
                err=True,
            )
    released = sum(r.released for r in results)
    edits = sum(len(r.edits) for r in results)
    typer.echo(
        f"{_count(len(results), 'edited page')}: {_count(edits, 'sentence')} taken, {_count(released, 'page')} "
        "released to publish."
    )
    if attention:
        raise typer.Exit(1)


@app.command("align")
def align_command(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="The Korean article (content/ko/<slug>.md).")],
    translation: Annotated[Path, typer.Argument(help="Its existing translation (content/en/<slug>.md).")],
    lang: Lang = None,
    approve_clean: Annotated[
        bool, typer.Option("--approve", help="Approve aligned sentences that no check finds anything in.")
    ] = False,
    reviewer: Reviewer = None,
) -> None:
    """Align an existing translation sentence by sentence and write it into the PO file (drafts for review)."""
    from translate.align import LOW_CONFIDENCE
    from translate.align import align as run_align
    from translate.review import default_reviewer

    report = run_align(
        _project(ctx), source, translation, lang, approve=approve_clean, reviewer=reviewer or default_reviewer()
    )
    shapes = Counter(f"{len(p.ko)}-{len(p.en)}" for p in report.pairs)
    typer.echo(
        f"aligned {source} with {translation} [{report.lang}]: {len(report.ko)} source and "
        f"{_count(len(report.en), 'translated segment')}; {shapes['1-1']} one-to-one, "
        f"{sum(n for k, n in shapes.items() if k not in ('1-1', '1-0', '0-1'))} merged, "
        f"{shapes['1-0']} source and {_count(shapes['0-1'], 'translated segment')} without a match; "
        f"confidence {report.confidence:.2f}."
    )
    for pair in report.pairs:
        if pair.confidence < LOW_CONFIDENCE:
            ko = " ".join(report.ko[i].source for i in pair.ko) or "-"
            en = " ".join(report.en[j].source for j in pair.en) or "-"
            line = report.ko[pair.ko[0]].line if pair.ko else report.en[pair.en[0]].line
            typer.echo(f"  low confidence {pair.confidence:.2f} (line {line}): {ko[:50]} <-> {en[:60]}")
    if report.findings:
        typer.echo("findings: " + ", ".join(f"{n} {check}" for check, n in sorted(report.findings.items())))
    typer.echo(
        f"{_count(report.written, 'translation')} written ({report.kept_approved} approved "
        f"{'one kept as it was' if report.kept_approved == 1 else 'ones kept as they were'})"
        f"{'; the page is now managed by publish' if report.page_adopted else ''}. Review them with `translate review`."
    )


@app.command("sync")
def sync_command(
    ctx: typer.Context,
    article: Article = None,
    lang: Lang = None,
    no_draft: Annotated[bool, typer.Option("--no-draft", help="Do not draft (no machine translation).")] = False,
    engine: Annotated[
        list[str] | None,
        typer.Option(
            "--engine", "-e", help="MT engine; repeat for a fallback chain, tried in order. Default: settings."
        ),
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Engine server URL.")] = None,
) -> None:
    """The whole loop for everything stale: extract, draft what changed, publish what is fully approved."""
    from translate.sync import sync as run_sync

    if url is not None:
        check_url(url, "--url")
    project = _project(ctx)
    report = run_sync(project, article, lang, drafting=not no_draft, engines=engine, url=url)
    extracted = report.extracted
    for target, old, new in extracted.renamed:
        typer.echo(f"renamed {old} -> {new} [{target}]")
    left = len(extracted.untranslatable)
    typer.echo(
        f"extract: {_count(len(extracted.written), 'PO file')} updated, {len(extracted.unchanged)} unchanged."
        + (f" {_count(left, 'Korean text')} will not be translated (`translate extract` lists them)." if left else "")
    )
    drafted = report.drafted
    if drafted is not None:
        for note in drafted.notes:  # which engine a project without one uses, DeepL glossaries…
            typer.echo(f"note: {note}", err=True)
        typer.echo(
            f"draft: {drafted.from_memory} from translation memory, {drafted.from_engine} by machine translation, "
            f"{drafted.left} left untranslated."
        )
    for path in report.published.written:
        typer.echo(f"published {path}")
    _report_edited(report.published.edited)
    for row in report.awaiting:
        waiting = row.counts["draft"] + row.counts["rejected"]
        typer.echo(
            f"waiting: {row.article} [{row.lang}]: {row.page}; {waiting} to review; next: translate {row.next_step}"
        )
    typer.echo(f"{len(report.rows) - len(report.awaiting)} of {_count(len(report.rows), 'article page')} up to date.")
    if drafted is not None and drafted.engine_error is not None:
        raise EngineError(
            f"machine translation failed for {_count(drafted.left, 'segment')}: "
            f"{str(drafted.engine_error).rstrip('.')}. Everything else was done. "
            f"{_engine_advice(project, engine, url)}; then run `translate sync` again."
        )
    if report.awaiting:
        raise typer.Exit(1)


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="The port to listen on.")] = 8765,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on; any but 127.0.0.1 needs an access token.")
    ] = "127.0.0.1",
    token: Annotated[
        str | None, typer.Option("--token", envvar="TRANSLATE_TOKEN", help="Access token (default: generated).")
    ] = None,
    add_reviewer: Annotated[
        str | None,
        typer.Option("--add-reviewer", metavar="NAME", help="Make NAME their own access token (shown once) and exit."),
    ] = None,
    remove_reviewer: Annotated[
        str | None, typer.Option("--remove-reviewer", metavar="NAME", help="Remove NAME's access token and exit.")
    ] = None,
    list_reviewers: Annotated[
        bool, typer.Option("--list-reviewers", help="List the reviewers with their own token and exit.")
    ] = False,
) -> None:
    """Review in the browser: the queue, each segment and the articles, on a local web page."""
    from translate import reviewers

    project = _project(ctx)
    if sum([add_reviewer is not None, remove_reviewer is not None, list_reviewers]) > 1:
        raise typer.BadParameter("use one of --add-reviewer, --remove-reviewer and --list-reviewers at a time.")
    where = reviewers.REVIEWERS_FILE
    if add_reviewer is not None:
        added, secret = reviewers.add_reviewer(project, add_reviewer)
        typer.echo(f"Access token for {added.name} (shown only now; {where} keeps only its hash):\n{secret}")
        typer.echo(
            f"{added.name} opens the address `translate serve` prints with ?token={secret} instead of its token, "
            f"once: the browser keeps it. Every decision made with it is recorded as {added.name}'s."
        )
        return
    if remove_reviewer is not None:
        gone = reviewers.remove_reviewer(project, remove_reviewer)
        typer.echo(f"Removed {gone.name}'s access token: a page open with it is refused from its next request on.")
        return
    if list_reviewers:
        known = reviewers.load_reviewers(reviewers.reviewers_path(project))
        for reviewer in known:
            typer.echo(f"{reviewer.name}  (added {reviewer.added})")
        typer.echo(f"{_count(len(known), 'reviewer')} with their own access token ({where}).")
        return
    from translate.web import ServeOptions, serve  # the web stack loads only for this command

    serve(project, ServeOptions(host=host, port=port, token=token), echo=typer.echo)


def main() -> None:
    """Console-script entry point."""
    app()
