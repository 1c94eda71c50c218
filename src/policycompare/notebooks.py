"""Run the notebooks top to bottom and export them to HTML, for readers without Jupyter.

Each notebook runs in its own kernel with ``notebooks/`` as working folder
(as in JupyterLab); the executed copy is exported to ``<out>/<name>.html``.
The notebooks on disk are never changed, so they stay stored without outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .export import write_text_atomic

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


def export_html(nb, path: str | Path, title: str | None = None) -> Path:
    """Write an executed notebook as a standalone HTML page, its ``<title>`` the notebook's title."""
    from nbconvert import HTMLExporter

    path = Path(path)
    title = title or notebook_title(nb, path.stem)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb, resources={"metadata": {"name": title}})
    return write_text_atomic(path, body)


def notebook_files(folder: str | Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*.ipynb") if not p.name.startswith("."))


def build_report(notebooks_dir: str | Path = "notebooks", out_dir: str | Path = "figures", *,
                 timeout: int = TIMEOUT, progress: Callable[[Path], None] | None = None) -> list[NotebookRun]:
    """Execute every notebook of ``notebooks_dir`` and write ``<out_dir>/<name>.html``.

    A notebook that fails is reported in its :class:`NotebookRun` (the error
    names the cell) and the others still run.
    """
    from nbclient.exceptions import CellExecutionError

    runs = []
    for path in notebook_files(notebooks_dir):
        if progress:
            progress(path)
        try:
            nb = execute_notebook(path, timeout)
        except CellExecutionError as err:
            runs.append(NotebookRun(path, None, str(err).strip().splitlines()[-1] if str(err).strip() else repr(err)))
            continue
        runs.append(NotebookRun(path, export_html(nb, Path(out_dir) / f"{path.stem}.html"), None, nb))
    return runs
