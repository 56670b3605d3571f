"""The filingqa web page (Gradio): ask, see the evidence, trust the numbers.

    .venv/bin/python -m app [--host 127.0.0.1] [--port 7860] [--index DIR] [--share]

    from app import build_app
    demo = build_app(Pipeline.load())        # a gr.Blocks; mount it or demo.launch()

One job a module: `render` (HTML cards, tables, CSV; pure), `actions` (what each event does, as plain functions of
the pipeline and the inputs), `examples` (example questions from the indexed filings), `page` (the gr.Blocks
layout and event wiring), `__main__` (the command line).
"""
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no usage pings; must be set before gradio is imported

from app.page import CONCURRENCY, build_app  # noqa: E402

__all__ = ["CONCURRENCY", "build_app"]
