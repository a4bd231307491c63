"""Settings read from GOVQA_* variables: a value that cannot work is one line, not a traceback."""
from __future__ import annotations

import pytest

from rag.settings import Settings, SettingsError


@pytest.mark.parametrize("name", ["GOVQA_MAX_FILE_MB", "GOVQA_LLM_TIMEOUT"])
@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf"])
def test_a_number_setting_that_is_not_a_positive_number_is_refused_by_name(monkeypatch, tmp_path, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=f"{name}=.*不是正数"):
        Settings.from_env(tmp_path)


def test_number_settings_are_read(monkeypatch, tmp_path):
    monkeypatch.setenv("GOVQA_MAX_FILE_MB", "0.5")
    monkeypatch.setenv("GOVQA_LLM_TIMEOUT", "12.5")
    settings = Settings.from_env(tmp_path)
    assert settings.max_file_bytes == 512 * 1024 and settings.llm.timeout_s == 12.5
    monkeypatch.delenv("GOVQA_MAX_FILE_MB")
    assert Settings.from_env(tmp_path).max_file_bytes == 50 * 1024 * 1024
