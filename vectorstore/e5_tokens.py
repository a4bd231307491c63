"""e5's tokenizer and the model inputs of a batch, as sentence-transformers makes them.

Shared by the engines that run the model without sentence-transformers (ONNX Runtime, torch in
bfloat16), so all of them see exactly the tokens the float32 reference sees.

Example::

    tokenizer = load_tokenizer(model_dir)                      # tokenizer.json, left untouched
    ids, mask = batch_inputs(tokenizer, ["passage: 郑州市金融业增加值较快增长。"])
    ids.shape, mask.shape                                      # ((1, n), (1, n)), int64
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from vectorstore.e5_convert import MAX_SEQ_LENGTH

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["PAD_ID", "TOKENIZER_FILE", "batch_inputs", "load_tokenizer"]

TOKENIZER_FILE = "tokenizer.json"
PAD_ID = 1  # XLM-R's <pad>


def load_tokenizer(model_dir: Path) -> Tokenizer:
    """The fast tokenizer in ``model_dir``, without truncation or padding, so it also counts tokens exactly.

    One instance takes ~280 MB (XLM-R's vocabulary): load it once per engine.
    """
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(Path(model_dir) / TOKENIZER_FILE))


def batch_inputs(tokenizer: Tokenizer, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids and attention mask of a batch, padded to its longest text.

    A text beyond the 512-token window is cut as sentence-transformers cuts it: ``<s>``, its
    first 510 tokens, ``</s>``.
    """
    eos_id = tokenizer.token_to_id("</s>")
    rows = [e.ids for e in tokenizer.encode_batch(texts)]
    rows = [ids if len(ids) <= MAX_SEQ_LENGTH else [*ids[:MAX_SEQ_LENGTH - 1], eos_id] for ids in rows]
    width = max(len(ids) for ids in rows)
    input_ids = np.full((len(rows), width), PAD_ID, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, ids in enumerate(rows):
        input_ids[i, :len(ids)] = ids
        mask[i, :len(ids)] = 1
    return input_ids, mask
