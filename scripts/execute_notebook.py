"""Execute one notebook with nbconvert's ExecutePreprocessor and export it to HTML.

Usage: python3 scripts/execute_notebook.py NOTEBOOK.ipynb OUT_DIR [CELL_TIMEOUT_SECONDS]

Writes OUT_DIR/NAME.ipynb (executed) and OUT_DIR/NAME.html. On the first failing cell it still writes both
(with the outputs so far, so the failure can be inspected), prints the failing cell's source and its error and
stderr output (tslab reports TypeScript compile errors on stderr, not in the error message), and exits 1.
Run by scripts/notebooks-execute.mjs, which sets up Jupyter's folders and the tslab kernel first.
"""
import os
import sys

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import CellExecutionError, ExecutePreprocessor


def cell_error_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("%s: %s" % (out.get("ename", ""), out.get("evalue", "")))
            parts.extend(out.get("traceback", []))
    return "\n".join(p.rstrip("\n") for p in parts if p)


class TrackingExecutePreprocessor(ExecutePreprocessor):
    """Remembers which cell runs, so a failure can name it."""

    current = None

    def preprocess_cell(self, cell, resources, index):
        self.current = index
        return super().preprocess_cell(cell, resources, index)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, out_dir = argv[1], argv[2]
    timeout = int(argv[3]) if len(argv) > 3 else 1800
    name = os.path.splitext(os.path.basename(src))[0]
    os.makedirs(out_dir, exist_ok=True)
    with open(src, encoding="utf-8") as f:
        nb = nbformat.read(f, as_version=4)
    ep = TrackingExecutePreprocessor(timeout=timeout, kernel_name="tslab", startup_timeout=180)
    failed = None
    try:
        ep.preprocess(nb, {"metadata": {"path": os.path.dirname(os.path.abspath(src))}})
    except (CellExecutionError, TimeoutError, RuntimeError) as err:  # error cell, cell timeout, dead kernel
        failed = err
    finally:
        with open(os.path.join(out_dir, name + ".ipynb"), "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        body, _ = HTMLExporter().from_notebook_node(nb)
        with open(os.path.join(out_dir, name + ".html"), "w", encoding="utf-8") as f:
            f.write(body)
    if failed is not None:
        index = ep.current
        cell = nb.cells[index] if index is not None else None
        print("FAILED %s" % src, file=sys.stderr)
        if cell is not None:
            print("--- cell %d ---\n%s\n--- error ---" % (index + 1, cell.source), file=sys.stderr)
            print(cell_error_text(cell) or str(failed), file=sys.stderr)
        else:
            print(str(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
