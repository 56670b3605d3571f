"""What the in-repo trainers (the reader, the sentence ranker) share: the optimiser they fine-tune MiniLM with."""
from __future__ import annotations


def adamw_with_warmup(model, lr: float, total_steps: int, warmup: float = 0.1):
    """(trainable parameters, AdamW with weight decay 0.01 except on biases and LayerNorm, a linear schedule with
    `warmup` of the steps rising then decaying to 0)."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    decay = [p for n, p in named if not any(k in n for k in ("bias", "LayerNorm"))]
    no_decay = [p for n, p in named if any(k in n for k in ("bias", "LayerNorm"))]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=lr)
    return [p for _, p in named], opt, get_linear_schedule_with_warmup(opt, int(total_steps * warmup), total_steps)
