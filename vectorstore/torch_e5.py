"""multilingual-e5-small as one torch module, and the bfloat16 engine that runs it.

:class:`PooledE5` is what the converted sentence-transformers directory computes (BERT → mean
over the real tokens → L2 normalisation) as a single module: the ONNX export traces it, and the
bfloat16 engine runs it. Loading it through transformers alone skips sentence-transformers'
import (~4.5 s here), so the bfloat16 engine is ready in about 2.5 s.

Example::

    model = TorchE5(converted_dir, threads=2)                      # bfloat16
    model.encode(["passage: 郑州市金融业增加值较快增长。"]).shape    # (1, 384) float32, normalised
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from vectorstore.e5_convert import no_progress_bars
from vectorstore.e5_tokens import batch_inputs, load_tokenizer

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["PooledE5", "TorchE5", "load_pooled_e5"]


class PooledE5(torch.nn.Module):
    """BERT → mean over the real tokens → L2 normalisation: sentence-transformers' Pooling + Normalize."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Normalised sentence vectors ``(batch, 384)`` in the model's dtype."""
        states = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(mean, p=2, dim=1)


def load_pooled_e5(model_dir: Path, dtype: torch.dtype = torch.float32, attention: str = "sdpa") -> PooledE5:
    """The converted model at ``model_dir`` as a :class:`PooledE5` in ``dtype``, in eval mode.

    ``attention`` is transformers' attention implementation: ``sdpa`` runs fastest; ``eager``
    traces to plain MatMul/Softmax (the SDPA path traces data-dependent mask code), for export.
    """
    from transformers import AutoModel

    with no_progress_bars():
        bert = AutoModel.from_pretrained(str(model_dir), add_pooling_layer=False, attn_implementation=attention,
                                         dtype=dtype, local_files_only=True)
    return PooledE5(bert).eval()


class TorchE5:
    """The converted model in bfloat16, run by torch: prefixed texts in, normalised float32 vectors out.

    Fast where the CPU multiplies bfloat16 in AMX tiles (Intel Xeon since Sapphire Rapids);
    slow elsewhere. ``threads`` sets torch's thread count, which is process-wide.

    Example::

        TorchE5(converted_dir).encode(["query: 郑州2020年金融业增加值多少？"]).shape   # (1, 384)
    """

    def __init__(self, model_dir: Path, threads: int | None = None, tokenizer: Tokenizer | None = None) -> None:
        """Load the model (and, unless one is given, the tokenizer) from the converted directory ``model_dir``."""
        if threads:
            torch.set_num_threads(threads)
        self.model_dir = Path(model_dir)
        self._model = load_pooled_e5(self.model_dir, torch.bfloat16)
        self.tokenizer = tokenizer or load_tokenizer(self.model_dir)
        self._running = threading.Lock()  # one forward pass at a time: they would only fight over the cores

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed already-prefixed texts as one batch: float32 ``(len(texts), 384)``, rows L2-normalised."""
        input_ids, mask = (torch.from_numpy(a) for a in batch_inputs(self.tokenizer, texts))
        with self._running, torch.inference_mode():
            vectors = self._model(input_ids, mask).float().numpy()
        # bfloat16's normalisation is good to ~3 digits: normalise again in float32.
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
