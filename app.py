"""`python app.py [--port 7860] [--index DIR]`: the web page, as Gradio and Hugging Face Spaces start one.

A thin alias of `python -m app` (the page lives in the app/ package, which `import app` finds before this file).
"""
import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
