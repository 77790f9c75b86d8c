import inspect
import json

import pytest

from netralitas_nlp import evaluate
from netralitas_nlp.kinds import KINDS, ModelKind, model_class
from netralitas_nlp.labels import LABELS
from netralitas_nlp.modeldir import ModelDir
from netralitas_nlp.triage.services.imports import available_models

CAPABILITIES = ("folds_temperature", "exportable", "has_engine_settings", "cheap_evidence", "swaps_per_epoch")


def _fake_model(folder, kind="rules", labels=LABELS):
    folder.mkdir(parents=True)
    (folder / ModelDir.META).write_text(json.dumps({"kind": kind, "labels": list(labels)}))


def test_listing_finds_model_folders_only_and_both_listers_agree(tmp_path):
    _fake_model(tmp_path / "b")
    _fake_model(tmp_path / "a")
    (tmp_path / "not-a-model").mkdir()
    (tmp_path / "file.txt").write_text("x")
    assert [f.name for f in ModelDir.listing(tmp_path)] == ["a", "b"]
    assert evaluate.all_models(str(tmp_path)) == [str(tmp_path / "a"), str(tmp_path / "b")]
    assert available_models(tmp_path) == {"a": tmp_path / "a", "b": tmp_path / "b"}
    assert ModelDir.listing(tmp_path / "missing") == []


def test_read_meta_refuses_non_models_and_other_label_sets(tmp_path):
    with pytest.raises(FileNotFoundError, match=ModelDir.META):
        ModelDir(tmp_path).read_meta()
    _fake_model(tmp_path / "m", labels=["x"])
    with pytest.raises(ValueError, match="differ"):
        ModelDir(tmp_path / "m").read_meta()
    assert ModelDir(tmp_path / "m").kind() == "rules"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_declares_its_capabilities_and_one_fit_signature(kind):
    cls = model_class(kind)
    for cap in CAPABILITIES:
        assert isinstance(getattr(cls, cap), bool), f"{kind} lacks {cap}"
    if cls.folds_temperature:
        assert callable(cls.fold_temperature)
    expected = inspect.signature(ModelKind.fit).parameters
    assert list(inspect.signature(cls.fit).parameters) == [p for p in expected if p != "cls"]
