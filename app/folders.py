"""The only folders the page reads from and writes to.

`uploads` is Gradio's upload folder, made private to this process (app/__init__.py points `GRADIO_TEMP_DIR` at a new
0700 folder before Gradio is imported; its default, /tmp/gradio, is shared by every Gradio app on the machine and
served by each of them). `outputs` holds what the page writes for download (the audit CSVs), one file per filing
and table, replaced by the next audit of that filing. A file the page is handed from anywhere else is refused
(`app.actions.check_upload`): the API takes a file path, and a path is not proof that anyone uploaded it.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PageFolders:
    uploads: Path
    outputs: Path

    @classmethod
    def private(cls) -> "PageFolders":
        """Gradio's upload folder of this process, and a new outputs folder removed when the process exits."""
        from gradio.utils import get_upload_folder

        outputs = Path(tempfile.mkdtemp(prefix="filingqa-outputs-"))
        atexit.register(shutil.rmtree, outputs, ignore_errors=True)
        return cls(uploads=Path(get_upload_folder()), outputs=outputs)

    def holds_upload(self, path: Path) -> bool:
        """Whether `path` (symbolic links followed) lies inside the upload folder."""
        try:
            return path.resolve(strict=True).is_relative_to(self.uploads.resolve())
        except (OSError, RuntimeError):
            return False
