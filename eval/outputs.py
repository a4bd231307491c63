"""The folder a run writes its outputs to, made before anything slow happens."""
from __future__ import annotations

from pathlib import Path


def make_out_dir(out_dir: Path, error: type[Exception]) -> Path:
    """Create `out_dir` (and its parents) if needed; `error` with a one-line reason in Chinese when it cannot be.

    >>> make_out_dir(Path("/dev/null/out"), ValueError)
    Traceback (most recent call last):
    ...
    ValueError: 输出路径不是文件夹：/dev/null/out
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise error(f"输出路径不是文件夹：{out_dir}") from None
    except OSError as err:
        raise error(f"无法创建输出文件夹 {out_dir}：{err.strerror}") from None
    return out_dir
