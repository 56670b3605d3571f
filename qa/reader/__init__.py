"""The extractive reader: a MiniLM span model trained in this repo (`python -m qa.reader.train`).

`model.py` wraps the weights in `qa/models/minilm-finqa`; `train_data.py` builds its training set;
`train.py` trains it and writes the model card. Its evaluation lives in `eval/reader.py`.
"""
from qa.reader.model import DEFAULT_MODEL_DIR, Reader, ReaderModelError

__all__ = ["DEFAULT_MODEL_DIR", "Reader", "ReaderModelError"]
