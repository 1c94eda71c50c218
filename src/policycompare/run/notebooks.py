"""Run the notebooks top to bottom and export them to HTML, for readers without Jupyter.

Each notebook runs in its own kernel with ``notebooks/`` as working folder
(as in JupyterLab); the executed copy is exported to ``<out>/<name>.html``.
The notebooks on disk are never changed, so they stay stored without outputs.

Each page says at its top when it was built and from how many plan files, and
carries a stamp of the plan files it read (``<meta name="policycompare-inputs">``):
``policycompare run`` names the pages whose plans have changed since
(:func:`stale_reports`) rather than run every notebook again (minutes: each loads
the corpus afresh).
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..config import RAW_DIR, find_root
from ..export.workbook import build_date
from ..ingest.files import plan_files, write_text_atomic
from .cache import plan_key

TIMEOUT = 600


@dataclass
class NotebookRun:
    notebook: Path
    html: Path | None
    error: str | None
    executed: object = None  # the executed nbformat notebook, when it ran through


def execute_notebook(path: str | Path, timeout: int = TIMEOUT):
    """The notebook at ``path`` executed in a fresh ``python3`` kernel (returned, not saved).

    Raises ``nbclient.exceptions.CellExecutionError`` naming the failing cell.
    """
    # Jupyter's libraries load only for `policycompare report`
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    client.execute()
    return nb


def notebook_title(nb, default: str = "") -> str:
    """The notebook's title: the first heading of its first markdown cell (``default`` when it has none)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.lstrip().startswith("#"):
                return line.lstrip("# ").strip()
        break
    return default


def inputs_stamp(raw_dir: str | Path) -> tuple[str, int]:
    """A stamp of the plan files of ``raw_dir`` (their names, bytes, sidecars; the package's rules and
    code) and how many there are: what a report was built on."""
    files = plan_files(raw_dir)[0] if Path(raw_dir).is_dir() else []
    digest = hashlib.sha256()
    for path in files:
        digest.update(plan_key(path).encode() + b"\0")
    return digest.hexdigest()[:16], len(files)


_STAMP = re.compile(r'<meta name="policycompare-inputs" content="([0-9a-f]+)" data-plans="(\d+)" data-built="([^"]*)"')


def stamp_page(body: str, stamp: str, n_plans: int, built: str) -> str:
    """The page with its build stamp: a meta tag for :func:`stale_reports` and a line at the top for readers."""
    meta = f'<meta name="policycompare-inputs" content="{stamp}" data-plans="{n_plans}" data-built="{built}">'
    line = (f'<p class="policycompare-built" style="font:0.85em sans-serif;color:#555;margin:0.5em 1em">'
            f"Built {built} from {n_plans} plan files (本报告生成于 {built}，基于 {n_plans} 个规划文件); "
            "rerun <code>policycompare report</code> after adding plans.</p>")
    body = body.replace("<head>", "<head>\n" + meta, 1) if "<head>" in body else meta + body
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + line, body, count=1)


def report_stamp(path: str | Path) -> dict | None:
    """The stamp of an exported page (``stamp``, ``plans``, ``built``), or None for a page without one."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(20_000)
    except OSError:
        return None
    match = _STAMP.search(head)
    if not match:
        return None
    return {"stamp": match.group(1), "plans": int(match.group(2)), "built": html_lib.unescape(match.group(3))}


def stale_reports(report_dir: str | Path, raw_dir: str | Path) -> list[tuple[Path, dict]]:
    """Exported pages in ``report_dir`` built from other plan files than ``raw_dir`` holds now, with their stamps."""
    report_dir = Path(report_dir)
    if not report_dir.is_dir():
        return []
    pages = [(p, report_stamp(p)) for p in sorted(report_dir.glob("*.html"))]
    pages = [(p, s) for p, s in pages if s is not None]
    if not pages:
        return []
    now, _ = inputs_stamp(raw_dir)
    return [(p, s) for p, s in pages if s["stamp"] != now]


def export_html(nb, path: str | Path, title: str | None = None, *, raw_dir: str | Path | None = None) -> Path:
    """Write an executed notebook as a standalone HTML page, its ``<title>`` the notebook's title.

    With ``raw_dir`` (the plans the notebook read) the page is stamped with the build date and the
    plan files (:func:`stamp_page`).
    """
    # Jupyter's libraries load only for `policycompare report`
    from nbconvert import HTMLExporter

    path = Path(path)
    title = title or notebook_title(nb, path.stem)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb, resources={"metadata": {"name": title}})
    if raw_dir is not None:
        stamp, n_plans = inputs_stamp(raw_dir)
        body = stamp_page(body, stamp, n_plans, build_date().strftime("%Y-%m-%d"))
    return write_text_atomic(path, body)


def notebook_files(folder: str | Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*.ipynb") if not p.name.startswith("."))


def build_report(notebooks_dir: str | Path = "notebooks", out_dir: str | Path = "figures", *,
                 timeout: int = TIMEOUT, progress: Callable[[Path], None] | None = None) -> list[NotebookRun]:
    """Execute every notebook of ``notebooks_dir`` and write ``<out_dir>/<name>.html``.

    A notebook that fails is reported in its :class:`NotebookRun` (the error
    names the cell) and the others still run.
    """
    # Jupyter's libraries load only for `policycompare report`
    from nbclient.exceptions import CellExecutionError

    try:  # the plans the notebooks read: data/raw of the project, found from the notebooks' folder up
        raw_dir = find_root(Path(notebooks_dir).resolve()) / RAW_DIR
    except FileNotFoundError:
        raw_dir = None
    runs = []
    for path in notebook_files(notebooks_dir):
        if progress:
            progress(path)
        try:
            nb = execute_notebook(path, timeout)
        except CellExecutionError as err:
            runs.append(NotebookRun(path, None, str(err).strip().splitlines()[-1] if str(err).strip() else repr(err)))
            continue
        runs.append(NotebookRun(path, export_html(nb, Path(out_dir) / f"{path.stem}.html", raw_dir=raw_dir), None, nb))
    return runs
