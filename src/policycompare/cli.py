"""Command line: ``policycompare run`` and ``policycompare show`` (thin wrappers)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table
from rich.text import Text
from rich.tree import Tree

from .config import FIGURES_DIR, PROCESSED_DIR, RAW_DIR

app = typer.Typer(
    help="Compare Chinese government policy plans: turn them into tidy tables.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # one message, one line
#: Languages of the figures (``--lang``).
LANGS = ("zh", "en")


def _version(value: bool) -> None:
    if value:
        from . import __version__

        console.print(f"policycompare {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Compare Chinese government policy plans: turn them into tidy tables."""
    _tolerant_streams()


def _tolerant_streams() -> None:
    """Standard output and error that never crash on a character their encoding lacks.

    On Chinese Windows a redirected stdout is GBK (``PYTHONIOENCODING=gbk`` shows the same on Linux):
    a plan id or message with a character outside it (an emoji, a rare character) is written as ``?``
    instead of ending the run with a ``UnicodeEncodeError``.
    """
    import codecs
    import sys

    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            utf = codecs.lookup(encoding).name.startswith("utf")
        except LookupError:
            utf = False
        if not utf and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


#: Above this many plans the run summary gives counts per level instead of a row per plan.
SUMMARY_ROWS = 30
#: Warning lines printed after a run; the rest are counted (all are in warnings.csv).
MAX_WARNING_LINES = 30


@app.command()
def run(
    raw: Path = typer.Option(RAW_DIR, "--raw", help="Folder with the plan files (.txt, .html, .docx)."),
    out: Path = typer.Option(PROCESSED_DIR, "--out", help="Folder for the tables (CSV) and normalized texts."),
    figures: Path = typer.Option(FIGURES_DIR, "--figures", help="Folder for the figures (PNG and SVG)."),
    no_figures: bool = typer.Option(False, "--no-figures", help="Skip the figures (faster)."),
    no_workbook: bool = typer.Option(False, "--no-workbook", help="Skip the Excel workbook."),
    strict: bool = typer.Option(False, "--strict", help="Exit with status 1 if any file could not be used."),
    workers: int = typer.Option(None, "--workers", "-j",
                                help="Processes for the per-plan work (default: every core when the work pays for a pool; 1 = none)."),
    scheduler: str = typer.Option(None, "--scheduler", help="Run the per-plan work on a Dask cluster, e.g. tcp://HOST:8786."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Parse every plan again instead of reading unchanged ones from the cache."),
    k: int = typer.Option(None, "-k", help="Matches kept per task in task_similarity (default 10)."),
    exact: bool = typer.Option(False, "--exact", help="Exact task_similarity at any size (beyond 5,000 tasks: slower)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print each stage with its counts and time (also when not a terminal)."),
    lang: str = typer.Option("zh", "--lang", help="Language of the figures: zh (Chinese, English subtitles) or en (English)."),
    paper: str = typer.Option("a4", "--paper", help="Paper the workbook is set up to print on: a4 or letter."),
) -> None:
    """Build every table, the workbook and the figures from the plans in --raw."""
    from .errors import EngineError  # not from run.engine: that loads the parsers and pandas
    from .run.manifest import OutputError, WriteError, run_options, up_to_date

    if not raw.is_dir():
        err_console.print(f"[red]raw folder not found: {raw}[/red]")
        raise typer.Exit(2)
    if k is not None and k < 1:
        err_console.print("[red]-k must be at least 1[/red]")
        raise typer.Exit(2)
    if lang not in LANGS:
        err_console.print(f"[red]--lang must be one of {', '.join(LANGS)}[/red]")
        raise typer.Exit(2)
    if quiet and verbose:
        err_console.print("[red]--quiet and --verbose exclude each other[/red]")
        raise typer.Exit(2)
    if paper not in ("a4", "letter"):
        err_console.print("[red]--paper must be a4 or letter[/red]")
        raise typer.Exit(2)
    figures_dir = None if no_figures else figures
    manifest = None if no_cache else up_to_date(raw, out, run_options(out, figures_dir, workbook=not no_workbook, k=k, lang=lang,
                                                                   exact=exact, paper=paper))
    if manifest is not None:  # nothing changed: answer from the manifest, without loading anything
        summary = manifest.get("summary", {})
        plans, warnings = summary.get("plans", []), summary.get("warnings", [])
        _report(plans, warnings, out, quiet)
        if not quiet:
            console.print(f"up to date: nothing changed since the last run (outputs in {out}; --no-cache rebuilds)")
            _print_skipped(dict(summary.get("skipped_figures", [])))
            _print_stale(figures, raw)
        _exit(plans, warnings, raw, strict)
        return
    shown = RunProgress(err_console, quiet=quiet, verbose=verbose)
    try:
        with shown:
            # about 1.5 s (4 s on a busy machine) that would pass without a word: the tables' modules
            # are loaded here rather than after the reading stage, unannounced
            shown("starting: loading pandas, scikit-learn, the table code", 0, 0)
            from .analyze import registry  # noqa: F401
            from .run.pipeline import run_pipeline

            result = run_pipeline(raw, out, figures_dir=figures_dir, workbook=not no_workbook,
                                  workers=workers, scheduler=scheduler, use_cache=not no_cache, k=k,
                                  progress=shown, lang=lang, exact=exact, paper=paper)
    except WriteError as err:
        err_console.print(f"[red]{escape(str(err))}[/red]")
        raise typer.Exit(1) from err
    except (OutputError, EngineError) as err:
        err_console.print(f"[red]{escape(str(err))}[/red]")
        raise typer.Exit(2) from err
    except KeyboardInterrupt as err:  # Interrupted says what state the outputs are in
        message = str(err) or f"the run was interrupted; the previous outputs in {out} are intact"
        err_console.print(f"[red]{escape(message)}[/red]")
        raise typer.Exit(130) from err
    plans = result.plans[["plan_id", "level", "n_tasks"]].astype(object).values.tolist()
    warnings = result.warnings[["source_file", "plan_id", "severity", "message"]].astype(object).values.tolist()
    _report(plans, warnings, out, quiet)
    if not quiet:
        stats = result.map_stats
        console.print(f"wrote {len(result.written)} files; {stats.processed} plans parsed"
                      f" ({stats.engine}), {stats.cached} read from the cache")
        _print_skipped(result.skipped_figures)
        _print_stale(figures, raw)
    _exit(plans, warnings, raw, strict)


class RunProgress:
    """What ``policycompare run`` shows on standard error as it goes: ``progress(stage, done, total)``.

    On a terminal, one bar per stage with its own counter (rich, removed at the end); with
    ``--verbose``, a timed line when a stage starts, at each tenth of it and when it ends (any
    output: a log).  A stage named ``"stage: what"`` says what the stage is doing while its count
    stands still (loading the parsers): the note beside the stage's bar, a line of its own with
    ``--verbose``.  The steps of the tables stage (similarity, text reuse, escalation, reported
    with the tables' count) are its notes too.  Every line fits :data:`WIDTH` columns.
    """

    #: Widest progress line (columns), whatever the terminal's width.
    WIDTH = 100
    #: Columns of the stage name, the count, the time (with the gaps between the five columns).
    NAME, COUNT, TIME = 16, 11, 8

    def __init__(self, console: Console, *, quiet: bool = False, verbose: bool = False) -> None:
        self.console, self.verbose = console, verbose
        self.start = time.perf_counter()
        width = min(console.width, self.WIDTH)
        bar = 16 if width >= 80 else 8
        #: the note's columns: what is left (a narrow terminal keeps the counts whole and cuts the note)
        self.note_width = max(0, width - self.NAME - bar - self.COUNT - self.TIME - 4)
        fixed = {"no_wrap": True}
        self.bar = Progress(TextColumn("{task.description}", table_column=Column(width=self.NAME, **fixed)),
                            BarColumn(bar_width=bar, table_column=Column(width=bar, **fixed)),
                            TextColumn("{task.fields[count]}", table_column=Column(width=self.COUNT, **fixed)),
                            TimeElapsedColumn(table_column=Column(width=self.TIME, **fixed)),
                            TextColumn("{task.fields[note]}", markup=False,
                                       table_column=Column(width=self.note_width, **fixed)),
                            console=console, transient=True, disable=quiet or not console.is_terminal,
                            expand=False)
        self.tasks: dict[str, object] = {}  # stage -> its bar
        self.counts: dict[str, tuple[int, int]] = {}  # stage -> (done, total), in the order the stages started
        self.printed: dict[str, int] = {}  # stage -> last tenth of the way printed (--verbose)

    def __enter__(self) -> RunProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)

    def __call__(self, stage: str, done: int, total: int) -> None:
        stage, _, note = stage.partition(": ")
        step = ""  # a step of the tables stage: its count is the tables' count, its name the note
        if not note and self._step_of_tables(stage):
            stage, note, step = "tables", stage, stage
        if note:
            self._note(stage, note, total)
            if not step:
                return
        new = stage not in self.tasks
        if new:
            self._close([name for name, (d, _) in self.counts.items() if d > 0])
            self._drop("starting")
            self.tasks[stage] = self.bar.add_task(stage[: self.NAME], total=max(total, 1), note="", count="")
        self.counts[stage] = (done, total)
        self.bar.update(self.tasks[stage], completed=done, total=max(total, 1), count=f"{done}/{total}",
                        **({} if note else {"note": ""}))
        if done >= total:
            self._close(list(self.counts)[list(self.counts).index(stage) + 1:])
        tenth = 10 * done // max(total, 1)
        if self.verbose and (new or done >= total or tenth > self.printed.get(stage, 0)):
            self.printed[stage] = tenth
            self._line(f"{step or stage:<{self.NAME}} {done}/{total}")  # a step by its name: ``run -v`` logs

    def _step_of_tables(self, stage: str) -> bool:
        """Whether ``stage`` is a step of the open tables stage (its module is loaded by then)."""
        if "tables" not in self.counts or self.counts["tables"][0] >= self.counts["tables"][1]:
            return False
        from .analyze.registry import STAGES

        return stage in STAGES

    def _note(self, stage: str, note: str, total: int) -> None:
        """``note`` beside ``stage`` (a bar without a count yet when the stage has not started)."""
        shown = Text(note)
        shown.truncate(self.note_width, overflow="ellipsis")
        if stage not in self.tasks:  # no count yet: a bar that pulses
            self.tasks[stage] = self.bar.add_task(stage[: self.NAME], total=None, note="", count="")
        self.bar.update(self.tasks[stage], note=shown.plain)
        if self.verbose and stage != "tables":  # the steps of the tables stage print with the count
            self._line(f"{stage:<{self.NAME}} … {note}")

    def _line(self, text: str) -> None:
        line = Text(f"[{time.perf_counter() - self.start:7.1f} s] {text}")
        line.truncate(self.WIDTH, overflow="ellipsis")  # in columns: a Chinese character takes two
        self.console.print(line, highlight=False, soft_wrap=True)

    def _close(self, names) -> None:
        """Stages the run has moved past (similarity, text reuse report only their start): full bars."""
        for name in names:
            done, total = self.counts[name]
            if done < total:
                self.counts[name] = (total, total)
                self.bar.update(self.tasks[name], completed=max(total, 1), count=f"{total}/{total}", note="")

    def _drop(self, stage: str) -> None:
        if stage in self.tasks and stage not in self.counts:
            self.bar.remove_task(self.tasks.pop(stage))


def _print_skipped(skipped: dict[str, str]) -> None:
    """One line naming the figures a run did not write and why (no data for them, or an error)."""
    if skipped:
        reasons = "; ".join(f"{name} ({why})" for name, why in skipped.items())
        console.print(f"figures not written: {escape(reasons)}", highlight=False)


def _print_stale(report_dir: Path, raw: Path) -> None:
    """Name the notebook reports (``policycompare report``) built on other plan files than ``raw`` holds now.

    They are not rebuilt here: running the notebooks takes minutes (each loads the corpus afresh).
    """
    from .run.notebooks import inputs_stamp, stale_reports

    stale = stale_reports(report_dir, raw)
    if not stale:
        return
    built = sorted({f"{s['built']} from {s['plans']} plan files" for _, s in stale})
    names = ", ".join(p.name for p, _ in stale)
    err_console.print(f"[yellow]stale reports[/yellow] in {report_dir}: {names} (built {'; '.join(built)}; "
                      f"the plan files in {raw} have changed since, {inputs_stamp(raw)[1]} now): "
                      "`policycompare report` rebuilds them")


def _report(plans: list, warnings: list, out: Path, quiet: bool) -> None:
    """The summary table (unless quiet) and one line per warning or error (only errors when quiet)."""
    if not quiet:
        _print_summary(plans, warnings, out)
    shown = 0
    for source_file, _plan_id, severity, message in warnings:
        if severity != "error" and (quiet or shown >= MAX_WARNING_LINES):
            continue
        shown += severity != "error"
        colour = "red" if severity == "error" else "yellow"
        err_console.print(f"[{colour}]{severity}[/{colour}] {source_file}: {message}")
    hidden = sum(severity != "error" for _, _, severity, _ in warnings) - shown
    if hidden and not quiet:
        err_console.print(f"[yellow]… and {hidden} more warnings: every one is in {out / 'warnings.csv'}[/yellow]")


def _exit(plans: list, warnings: list, raw: Path, strict: bool) -> None:
    if not plans:
        err_console.print(f"[red]no plan could be used in {raw}: nothing written[/red]")
        raise typer.Exit(1)
    if strict and any(severity == "error" for _, _, severity, _ in warnings):
        raise typer.Exit(1)


def _print_summary(plans: list, warnings: list, out: Path) -> None:
    """One row per plan (id, level, tasks, warnings); counts per level beyond ``SUMMARY_ROWS`` plans."""
    n_warn: dict[str, int] = {}
    for _, plan_id, _, _ in warnings:
        n_warn[plan_id] = n_warn.get(plan_id, 0) + 1
    summary = Table(title=f"policycompare: {len(plans)} plans -> {out}", show_lines=False)
    if len(plans) <= SUMMARY_ROWS:
        for column in ("plan", "level", "tasks", "warnings"):
            summary.add_column(column, justify="right" if column in ("tasks", "warnings") else "left")
        for plan_id, level, n_tasks in plans:
            summary.add_row(plan_id, level or "?", str(n_tasks), str(n_warn.get(plan_id, 0)))
    else:
        for column in ("level", "plans", "tasks", "plans with warnings"):
            summary.add_column(column, justify="left" if column == "level" else "right")
        levels: dict[str, list[int]] = {}
        for plan_id, level, n_tasks in plans:
            row = levels.setdefault(level or "?", [0, 0, 0])
            row[0] += 1
            row[1] += int(n_tasks)
            row[2] += plan_id in n_warn
        for level in sorted(levels):
            summary.add_row(level, *(str(x) for x in levels[level]))
    console.print(summary)


#: ``--out`` of the commands that read a run's outputs.
OUT_HELP = ("Output folder of a run, whose cache gives the plans that have not changed since "
            "(default: the folder beside --raw, data/raw -> data/processed).")


def _cache_option(out: Path | None, no_cache: bool) -> Path | bool:
    """``cache_dir`` of :func:`~policycompare.run.load.load_corpus` for ``--out`` and ``--no-cache``."""
    return False if no_cache else (out if out is not None else True)


@app.command()
def show(
    plan_id: str = typer.Argument(..., help="A plan_id (the file stem), e.g. hunan_2017."),
    raw: Path = typer.Option(RAW_DIR, "--raw", help="Folder with the plan files."),
    out: Path = typer.Option(None, "--out", help=OUT_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help="Parse the plan again instead of reading the run's cache."),
) -> None:
    """Print one plan's metadata and task outline."""
    from .errors import PlanError, display_name
    from .ingest.files import plan_files, plan_id_of
    from .run.engine import map_files
    from .run.load import run_cache

    matches = [p for p in plan_files(raw)[0] if plan_id_of(p) == plan_id] if raw.is_dir() else []
    if not matches:
        known = ", ".join(plan_id_of(p) for p in plan_files(raw)[0]) if raw.is_dir() else "(no raw folder)"
        err_console.print(f"[red]no plan '{plan_id}' in {raw}[/red]; known: {known}")
        raise typer.Exit(2)
    # one file: from the run's cache when its key matches (the plan parsing would give), else parsed here
    [plan] = map_files(matches[:1], cache=run_cache(raw, _cache_option(out, no_cache)), workers=1)
    if isinstance(plan, PlanError):
        err_console.print(f"[red]{escape(str(plan))}[/red]")
        raise typer.Exit(1)
    meta = Table(show_header=False, box=None)
    for key, value in plan.plan_row().items():  # in the order of plans.csv
        meta.add_row(f"[bold]{key}[/bold]", "" if value is None else str(value))
    console.print(meta)
    tree = Tree(f"[bold]{plan.metadata.get('title') or plan.plan_id}[/bold]")
    branches: dict[str, Tree] = {}
    for task in plan.structure.tasks:
        parent = tree
        for title in [t for t in task["section_path"].split(" > ") if t]:
            key = f"{id(parent)}/{title}"
            if key not in branches:
                branches[key] = parent.add(title)
            parent = branches[key]
        parent.add(f"[cyan]{task['task_id']}[/cyan] [dim]({task['part']})[/dim] {task['title']}")
    console.print(tree)
    for message in plan.warnings:
        err_console.print(f"[yellow]warning[/yellow] {escape(display_name(plan.path))}: {escape(message)}")


@app.command()
def similar(
    query: str = typer.Argument(None, help="Free text, e.g. 推行企业标准自我声明公开."),
    task: str = typer.Option(None, "--task", help="A task_id instead of a text, e.g. lingwu_2017:3.1.4."),
    in_plan: str = typer.Option(None, "--in", help="With --task: rank the tasks of this plan only (clause re-ranking)."),
    k: int = typer.Option(10, "-k", help="How many tasks to show."),
    per_plan: int = typer.Option(None, "--per-plan", help="At most this many tasks from one plan."),
    analyzer: str = typer.Option("hybrid", "--analyzer",
                                 help="hybrid (words + characters, default), word (jieba TF-IDF) or char (character 2-3-grams)."),
    fmt: str = typer.Option("table", "--format", help="table (on screen) or csv (to standard output)."),
    min_score: float = typer.Option(None, "--min-score",
                                    help="Lowest score shown (default 0.12: below it a match shares little but common words)."),
    raw: Path = typer.Option(RAW_DIR, "--raw", help="Folder with the plan files."),
    out: Path = typer.Option(None, "--out", help=OUT_HELP),
    no_cache: bool = typer.Option(False, "--no-cache", help="Parse every plan again instead of reading the run's cache."),
) -> None:
    """Print the tasks across plans most similar to a text or to a task (or one plan's best tasks for a task).

    ``score`` is always the corpus-wide score (the cosine ``task_similarity`` gives); with ``--in`` the
    rows are ordered by ``rerank_score`` (score + clause weight x clause alignment), shown beside it.
    """
    from .analyze.similarity import ANALYZERS, rank_in_plan
    from .analyze.similarity import similar as find_similar
    from .run.load import load_corpus

    if (query is None) == (task is None):
        err_console.print("[red]give a query text or --task TASK_ID (not both)[/red]")
        raise typer.Exit(2)
    if in_plan is not None and task is None:
        err_console.print("[red]--in PLAN_ID needs --task TASK_ID[/red]")
        raise typer.Exit(2)
    if analyzer not in ANALYZERS:
        err_console.print(f"[red]--analyzer must be one of {', '.join(ANALYZERS)}[/red]")
        raise typer.Exit(2)
    if fmt not in ("table", "csv"):
        err_console.print("[red]--format must be table or csv[/red]")
        raise typer.Exit(2)
    if not raw.is_dir():
        err_console.print(f"[red]raw folder not found: {raw}[/red]")
        raise typer.Exit(2)
    if query is not None and not re.search(r"[\u4e00-\u9fff]", query):
        err_console.print(f"[yellow]the query {query!r} has no Chinese characters: the plans are in Chinese, "
                          "so nothing can match; try 推行企业标准自我声明公开[/yellow]")
        raise typer.Exit(1)
    corpus = load_corpus(raw, cache_dir=_cache_option(out, no_cache))
    options = {} if min_score is None else {"min_score": min_score}
    try:
        if in_plan is not None:
            hits = rank_in_plan(corpus, task, in_plan, k=k, analyzer=analyzer)
        else:
            hits = find_similar(corpus, query, task_id=task, k=k, per_plan=per_plan, analyzer=analyzer, **options)
    except KeyError as err:
        err_console.print(f"[red]{err.args[0]}[/red]")
        raise typer.Exit(2) from err
    if in_plan is not None:  # one name per quantity: the re-ranked score apart from the corpus-wide one
        hits = hits.rename(columns={"score": "rerank_score"}).rename(columns={"cosine": "score"})
    if task is not None and fmt != "csv":
        row = corpus.tasks.set_index("task_id").loc[task]
        place = corpus.plans.set_index("plan_id").loc[row["plan_id"], "jurisdiction"] or row["plan_id"]
        console.print(f"query task [cyan]{task}[/cyan] of {row['plan_id']} ({place}): {row['title']}")
    if fmt == "csv":
        columns = [c for c in hits.columns if c != "text"]
        typer.echo(hits[columns].to_csv(index=False, lineterminator="\n"), nl=False)
        return
    table = Table(title=f"most similar to {task or query!r}" + (f" in {in_plan}" if in_plan else ""))
    scores = ["rerank_score", "score"] if in_plan is not None else ["score"]
    for column in ("rank", *scores, "task", "title"):
        table.add_column(column, justify="left" if column in ("task", "title") else "right")
    for row in hits.itertuples():
        table.add_row(str(row.rank), *(f"{getattr(row, c):.3f}" for c in scores), row.task_id, row.title)
    if not hits.empty:
        console.print(table)
    else:
        console.print("no task scores above the minimum (--min-score); nothing in these plans matches the query")


@app.command()
def report(
    notebooks: Path = typer.Option(Path("notebooks"), "--notebooks", help="Folder with the notebooks."),
    out: Path = typer.Option(FIGURES_DIR, "--out", help="Folder for the HTML pages."),
    timeout: int = typer.Option(600, "--timeout", help="Seconds a cell may run."),
) -> None:
    """Run every notebook top to bottom and export it to HTML (for readers without Jupyter)."""
    from .run.notebooks import build_report, notebook_files

    if not notebook_files(notebooks):
        err_console.print(f"[red]no notebooks in {notebooks}[/red]")
        raise typer.Exit(2)
    with err_console.status("running notebooks") as status:
        runs = build_report(notebooks, out, timeout=timeout,
                            progress=lambda p: status.update(f"running {p.name}"))
    for run_ in runs:
        if run_.error:
            err_console.print(f"[red]error[/red] {run_.notebook.name}: {run_.error}")
        else:
            console.print(f"{run_.notebook.name} -> {run_.html}")
    if any(r.error for r in runs):
        raise typer.Exit(1)


@app.command()
def diff(
    plan_id: str = typer.Argument(..., help="The plan to read, e.g. lingwu_2017."),
    reference_id: str = typer.Argument(..., help="The plan to compare it with, e.g. its parent ningxia_2018 (any plan)."),
    out: Path = typer.Option(..., "--out", "-o", help="The HTML page to write, e.g. pair.html."),
    raw: Path = typer.Option(RAW_DIR, "--raw", help="Folder with the plan files."),
    processed: Path = typer.Option(PROCESSED_DIR, "--processed",
                                   help="A run's output folder: its cache of parsed plans is used when it exists."),
    lang: str = typer.Option("zh", "--lang", help="Words of the page: zh (Chinese) or en (English); the plans stay as written."),
) -> None:
    """Write one HTML page with two plans side by side: tasks aligned, shared passages marked, targets paired.

    The page is self-contained (it opens offline) and the same plans give the same bytes.
    """
    from .errors import PlanError
    from .ingest.files import plan_files, plan_id_of

    if lang not in LANGS:
        err_console.print(f"[red]--lang must be one of {', '.join(LANGS)}[/red]")
        raise typer.Exit(2)
    if not raw.is_dir():
        err_console.print(f"[red]raw folder not found: {escape(str(raw))}[/red]")
        raise typer.Exit(2)
    known = [plan_id_of(p) for p in plan_files(raw)[0]]
    for name in (plan_id, reference_id):
        if name not in known:
            err_console.print(f"[red]no plan '{escape(name)}' in {escape(str(raw))}[/red]; known: {escape(', '.join(known))}")
            raise typer.Exit(2)
    if plan_id == reference_id:
        err_console.print(f"[red]give two different plans, not {escape(plan_id)} twice[/red]")
        raise typer.Exit(2)
    from .report.sidebyside import write_side_by_side
    from .run.load import load_corpus

    corpus = load_corpus(raw, cache_dir=processed if processed.is_dir() else None)
    failed = {plan_id_of(e.path): e for e in corpus.errors}
    for name in (plan_id, reference_id):
        if name not in corpus:
            reason = failed[name] if name in failed else PlanError(raw / name, "it could not be read")
            err_console.print(f"[red]{escape(str(reason))}[/red]")
            raise typer.Exit(1)
    try:
        path = write_side_by_side(corpus, plan_id, reference_id, out, lang=lang)
    except OSError as err:
        err_console.print(f"[red]cannot write {escape(str(out))}: {escape(str(err))}[/red]")
        raise typer.Exit(1) from err
    console.print(f"{plan_id} ↔ {reference_id} -> {path}")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
