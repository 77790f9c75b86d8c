from pathlib import Path

import pytest

from netralitas_nlp.config import Config, load_config

ROOT = Path(__file__).resolve().parents[1]


def test_default_yaml_matches_embedded_defaults():
    assert load_config(ROOT / "configs/default.yaml") == Config()


def test_set_overrides_are_typed():
    cfg = load_config(None, ["seed=7", "tfidf_C=1", "train=[a.jsonl, b.jsonl]", "calibrate=false"])
    assert cfg.seed == 7 and cfg.tfidf_C == 1.0 and isinstance(cfg.tfidf_C, float)
    assert cfg.train == ["a.jsonl", "b.jsonl"] and cfg.calibrate is False


def test_name_defaults_to_file_stem_and_output_dir():
    cfg = load_config(ROOT / "configs/rules.yaml")
    assert cfg.name == "rules" and cfg.output_dir == Path("models/rules") and cfg.tune_thresholds is False


@pytest.mark.parametrize(
    "bad,msg",
    [
        (["nope=1"], "unknown config key"),
        (["seed=abc"], "seed must be int"),
        (["calibrate=1"], "true or false"),
        (["seed"], "key=value"),
        (["loss=focl"], "loss must be one of bce, focal"),
        (["model=bert"], "model must be one of"),
    ],
)
def test_bad_overrides(bad, msg):
    with pytest.raises(ValueError, match=msg):
        load_config(None, bad)


def test_every_config_file_loads():
    for path in sorted((ROOT / "configs").glob("*.yaml")):
        assert load_config(path).name == path.stem
