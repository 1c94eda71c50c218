"""Command line: ``policycompare run`` and ``policycompare show`` (thin wrappers)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table
from rich.tree import Tree

from .config import FIGURES_DIR, PROCESSED_DIR, RAW_DIR

app = typer.Typer(
    help="Compare Chinese government policy plans: turn them into tidy tables.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)


@app.command()
def run(
    raw: Path = typer.Option(RAW_DIR, "--raw", help="Folder with the plan files (.txt, .html, .docx)."),
    out: Path = typer.Option(PROCESSED_DIR, "--out", help="Folder for the tables (CSV) and normalized texts."),
    figures: Path = typer.Option(FIGURES_DIR, "--figures", help="Folder for the figures (PNG and SVG)."),
    no_figures: bool = typer.Option(False, "--no-figures", help="Skip the figures (faster)."),
    strict: bool = typer.Option(False, "--strict", help="Exit with status 1 if any file could not be used."),
) -> None:
    """Build every table, the workbook and the figures from the plans in --raw."""
    from .pipeline import run_pipeline

    if not raw.is_dir():
        err_console.print(f"[red]raw folder not found: {raw}[/red]")
        raise typer.Exit(2)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  console=err_console, transient=True) as bar:
        from .corpus import plan_files

        total = len(plan_files(raw)[0])
        task = bar.add_task("reading plans", total=total)

        def tick(path: Path) -> None:
            bar.update(task, advance=1, description=f"reading {path.name}")

        result = run_pipeline(raw, out, figures_dir=None if no_figures else figures, progress=tick)
    corpus = result.corpus
    summary = Table(title=f"policycompare: {len(corpus)} plans -> {out}", show_lines=False)
    for column in ("plan", "level", "tasks", "warnings"):
        summary.add_column(column, justify="right" if column in ("tasks", "warnings") else "left")
    warnings = corpus.warnings
    for row in corpus.plans.itertuples():
        n_warn = int((warnings["plan_id"] == row.plan_id).sum())
        summary.add_row(row.plan_id, row.level or "?", str(row.n_tasks), str(n_warn))
    console.print(summary)
    for row in warnings.itertuples():
        colour = "red" if row.severity == "error" else "yellow"
        err_console.print(f"[{colour}]{row.severity}[/{colour}] {row.source_file}: {row.message}")
    console.print(f"wrote {len(result.written)} files; tables: {', '.join(corpus.tables())}")
    if not len(corpus):
        raise typer.Exit(1)
    if strict and corpus.errors:
        raise typer.Exit(1)


@app.command()
def show(
    plan_id: str = typer.Argument(..., help="A plan_id (the file stem), e.g. hunan_2017."),
    raw: Path = typer.Option(RAW_DIR, "--raw", help="Folder with the plan files."),
) -> None:
    """Print one plan's metadata and task outline."""
    from .corpus import plan_files, read_plan
    from .errors import PlanError

    matches = [p for p in plan_files(raw)[0] if p.stem == plan_id] if raw.is_dir() else []
    if not matches:
        known = ", ".join(p.stem for p in plan_files(raw)[0]) if raw.is_dir() else "(no raw folder)"
        err_console.print(f"[red]no plan '{plan_id}' in {raw}[/red]; known: {known}")
        raise typer.Exit(2)
    try:
        plan = read_plan(matches[0])
    except PlanError as err:
        err_console.print(f"[red]{err}[/red]")
        raise typer.Exit(1) from err
    meta = Table(show_header=False, box=None)
    for key, value in plan.plan_row().items():
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
        err_console.print(f"[yellow]warning[/yellow] {plan.path.name}: {message}")


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
    raw: Path = typer.Option(RAW_DIR, "--raw", help="Folder with the plan files."),
) -> None:
    """Print the tasks across plans most similar to a text or to a task (or one plan's best tasks for a task)."""
    from .corpus import load_corpus
    from .similarity import ANALYZERS, rank_in_plan
    from .similarity import similar as find_similar

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
    corpus = load_corpus(raw)
    try:
        if in_plan is not None:
            hits = rank_in_plan(corpus, task, in_plan, k=k, analyzer=analyzer)
        else:
            hits = find_similar(corpus, query, task_id=task, k=k, per_plan=per_plan, analyzer=analyzer)
    except KeyError as err:
        err_console.print(f"[red]{err.args[0]}[/red]")
        raise typer.Exit(2) from err
    if fmt == "csv":
        columns = [c for c in hits.columns if c != "text"]
        typer.echo(hits[columns].to_csv(index=False, lineterminator="\n"), nl=False)
        return
    table = Table(title=f"most similar to {task or query!r}" + (f" in {in_plan}" if in_plan else ""))
    for column in ("rank", "score", "task", "title"):
        table.add_column(column, justify="right" if column in ("rank", "score") else "left")
    for row in hits.itertuples():
        table.add_row(str(row.rank), f"{row.score:.3f}", row.task_id, row.title)
    console.print(table)
    if hits.empty:
        console.print("no task shares a word with the query")


@app.command()
def report(
    notebooks: Path = typer.Option(Path("notebooks"), "--notebooks", help="Folder with the notebooks."),
    out: Path = typer.Option(FIGURES_DIR, "--out", help="Folder for the HTML pages."),
    timeout: int = typer.Option(600, "--timeout", help="Seconds a cell may run."),
) -> None:
    """Run every notebook top to bottom and export it to HTML (for readers without Jupyter)."""
    from .report import build_report, notebook_files

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


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
