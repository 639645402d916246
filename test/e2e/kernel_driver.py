"""Runs notebook cells in a real tslab kernel the way a class does: in any order, re-running cells, interrupting
one while it runs; then saves the notebook and exports it to HTML with nbconvert.

Usage: python3 kernel_driver.py PLAN.json
PLAN: {"notebook": "in.ipynb", "out": "out.ipynb", "html": "out.html", "cwd": "...",
       "steps": [{"cell": 0}, {"cell": 2, "interrupt_when": "regex", "interrupt_timeout": 120}, ...]}
"interrupt_when": once the cell's outputs (text/plain or stream text) match the regex, the kernel gets
Jupyter's interrupt (SIGINT). Prints one JSON line: {"steps": [{"cell", "status", "reply", "interrupted", "text",
"charts"}]}: "reply" is the kernel's execute_reply status ("ok", "error", "abort": the kernel did not run the cell),
"charts" the plotly figures the cell sent while it ran (display_data, then each update_display_data in order), as
the number of points of each trace.
"""
import asyncio
import json
import re
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter


def output_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        data = out.get("data", {})
        if "text/plain" in data:
            parts.append(data["text/plain"])
    return "\n".join(parts)


async def interrupt_when(client, cell, task, pattern, timeout):
    loop = asyncio.get_event_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline and not task.done():
        if re.search(pattern, output_text(cell)):
            await client.km.interrupt_kernel()
            return True
        await asyncio.sleep(0.1)
    return False


class RecordingClient(NotebookClient):
    """Keeps, per cell index, the plotly figures the kernel sent (new and updated) and the last execute_reply status."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.charts = {}
        self.replies = {}
        self.on_cell_executed = self._executed

    def _executed(self, cell, cell_index, execute_reply):
        self.replies[cell_index] = execute_reply.get("content", {}).get("status")

    def process_message(self, msg, cell, cell_index):
        kind = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
        if kind in ("display_data", "update_display_data"):
            fig = msg.get("content", {}).get("data", {}).get("application/vnd.plotly.v1+json")
            if isinstance(fig, dict):
                points = [len(trace.get("x", []) or []) for trace in fig.get("data", [])]
                self.charts.setdefault(cell_index, []).append({"kind": kind, "points": points})
        return super().process_message(msg, cell, cell_index)


async def run(plan):
    nb = nbformat.read(plan["notebook"], as_version=4)
    # allow_errors=False: tslab reports a failed cell only in execute_reply (its errors go to stderr), which
    # nbclient then raises as CellExecutionError.
    client = RecordingClient(nb, kernel_name="tslab", timeout=900, startup_timeout=180, allow_errors=False,
                            resources={"metadata": {"path": plan["cwd"]}})
    report = []
    async with client.async_setup_kernel():
        for step in plan["steps"]:
            index = step["cell"]
            cell = nb.cells[index]
            client.charts.pop(index, None)
            client.replies.pop(index, None)
            task = asyncio.ensure_future(client.async_execute_cell(cell, index))
            interrupted = False
            if "interrupt_when" in step:
                interrupted = await interrupt_when(client, cell, task, step["interrupt_when"], step.get("interrupt_timeout", 120))
            status = "ok"
            try:
                await task
            except CellExecutionError:
                status = "error"
            report.append({"cell": index, "status": status, "reply": client.replies.get(index),
                           "interrupted": interrupted, "text": output_text(cell)[-2000:],
                           "charts": client.charts.get(index, [])})
    nbformat.write(nb, plan["out"])
    body, _ = HTMLExporter().from_notebook_node(nb)
    with open(plan["html"], "w", encoding="utf-8") as f:
        f.write(body)
    return report


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        plan = json.load(f)
    report = asyncio.run(run(plan))
    print(json.dumps({"steps": report}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
