"""The filingqa web page (Gradio): ask, see the evidence, trust the numbers.

    .venv/bin/python -m app [--host 127.0.0.1] [--port 7860] [--index DIR] [--share]

    from app import build_app
    demo = build_app(Pipeline.load())        # a gr.Blocks; mount it or demo.launch()

One job a module: `render` (HTML cards, tables, CSV; pure), `actions` (what each event does, as plain functions of
the pipeline and the inputs), `examples` (example questions from the indexed filings), `folders` (the only folders the
page reads and writes), `page` (the gr.Blocks layout and event wiring), `__main__` (the command line).
"""
import atexit
import os
import shutil
import tempfile

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no usage pings; must be set before gradio is imported
if "GRADIO_TEMP_DIR" not in os.environ:
    # Gradio keeps uploads in, and serves files from, this folder; its default (/tmp/gradio) is shared by every Gradio
    # process on the machine. Ours is new, 0700, and removed at exit.
    _private = tempfile.mkdtemp(prefix="filingqa-page-")
    os.environ["GRADIO_TEMP_DIR"] = _private
    atexit.register(shutil.rmtree, _private, ignore_errors=True)

from app.page import CONCURRENCY, build_app  # noqa: E402

__all__ = ["CONCURRENCY", "build_app"]
