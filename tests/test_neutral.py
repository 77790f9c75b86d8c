"""Neutrality by construction: blinding candidate references, real-post shapes, and the guard test."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write_jsonl
from netralitas_nlp import train
from netralitas_nlp.config import load_config
from netralitas_nlp.models import load_model
from netralitas_nlp.swap import PRESIDENTIAL_2024, Candidates, blind, permutations, swap_candidates, swap_check

CYCLE = {"1": "2", "2": "3", "3": "1"}


@pytest.mark.parametrize(
    "text,expected",
    [
        # hashtags that carry names or numbers, run together or camel-cased
        ("#AMIN #02Melanjutkan #GanjarMahfudRebound", "#PRAGIB #03Melanjutkan #AniesMuhaiminRebound"),
        ("jadikan anies presiden ke 8 #aniesmuhaimin", "jadikan prabowo presiden ke 8 #prabowogibran"),
        # names with and without numbers, pairs joined by a dash or written together, nicknames
        ("prabowo-gibran menang satu putaran", "ganjar-mahfud menang satu putaran"),
        ("Cak Imin dan Prof Mahfud", "Gibran dan Prof Muhaimin"),
        ("#GanjarPranowoPilihanUmat pak ganjar pranowo", "#AniesBaswedanPilihanUmat pak anies baswedan"),
        # words that contain a name, prayers and ordinary words stay
        ("iming-iming uang, ganjaran pahala, amin ya allah, #jaminan", "iming-iming uang, ganjaran pahala, amin ya allah, #jaminan"),
    ],
)
def test_swap_covers_real_post_shapes(text, expected):
    assert swap_candidates(text, CYCLE) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Ayo coblos paslon 02!! #Prabowo2 pose dua jari", "Ayo coblos paslon 0X!! #CalonX pose x jari"),
        ("#AMIN jadikan ANIES presiden, PKB NasDem", "#Paslon jadikan CALON presiden, Partai Partai"),
        ("tgl 02/03 jam 01:30", "tgl 0X/0X jam 0X:30"),
        ("jalan desa rusak, Rp 2.000", "jalan desa rusak, Rp 2.000"),
    ],
)
def test_blind(text, expected):
    assert blind(text) == expected


FRAGMENTS = [
    "Anies",
    "Prabowo",
    "Ganjar",
    "Muhaimin",
    "Gibran",
    "Mahfud",
    "cak imin",
    "prabowo-gibran",
    "#AMIN",
    "#02Melanjutkan",
    "#GanjarMahfudRebound",
    "#aniesmuhaimin",
    "01",
    "02",
    "03",
    "paslon 2",
    "nomor urut 3",
    "no.1",
    "salam dua jari",
    "tiga jari",
    "Gerindra",
    "PDIP",
    "PKB",
    "pks",
    "ayo",
    "coblos",
    "kampanye",
    "pak camat",
    "amin",
    "menang",
    "Rp 2.000",
    "tgl 02/03",
    "!!",
    "kadrun",
    "#Hendra3",
    "relawan 2",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8), st.sampled_from(permutations()))
def test_blinded_text_is_invariant_under_every_rotation(parts, perm):
    text = " ".join(parts)
    assert blind(swap_candidates(text, perm)) == blind(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8))
def test_blind_is_idempotent(parts):
    once = blind(" ".join(parts))
    assert blind(once) == once


def test_a_users_pilkada_list_is_blinded_and_swapped(tmp_path):
    path = tmp_path / "pilkada.yaml"
    path.write_text("pairs:\n  1: [[Hendra Gunawan, Hendra]]\n  2: [[Sutrisno Adi, Sutrisno]]\n", encoding="utf-8")
    cands = PRESIDENTIAL_2024.merged(Candidates.from_yaml(path))
    assert swap_candidates("pilih Hendra!", {"1": "2", "2": "1", "3": "3"}, cands) == "pilih Sutrisno!"
    assert blind("pilih Hendra dan Anies", cands) == "pilih Calon dan Calon"
    with pytest.raises(ValueError, match="pairs"):
        Candidates.from_dict({"pairs": {"7": [["X"]]}})


# ---------------------------------------------------------------- the guard: a biased corpus

# Every supportive post names pair 2, every neutral one pair 1 or 3: a model that can read names
# learns "Prabowo/02 = partisanship", which is exactly the bias the hidden checks found.
BIASED = (
    [(f"ayo dukung {w} sampai menang", ["partisanship"]) for w in ("Prabowo", "paslon 02", "Gibran", "#02Melanjutkan", "prabowo")]
    + [(f"{w} hadir di acara debat semalam", []) for w in ("Anies", "paslon 01", "Ganjar", "Mahfud", "Muhaimin", "ganjar")]
    + [(f"kampanye akbar {w} ramai sekali", ["partisanship"]) for w in ("Prabowo", "02", "Gibran")]
    + [(f"berita: {w} kunjungi pasar pagi ini", []) for w in ("Anies", "Ganjar", "01", "03", "Mahfud")]
    + [(t, ["intimidation"]) for t in ("atasan ancam mutasi staf", "kontrak honorer diancam tidak diperpanjang")]
    + [(t, ["hoax_hate"]) for t in ("suku itu dasar babi semua", "sebarkan: surat suara sudah dicoblos")]
    + [(t, ["money_politics"]) for t in ("bagi amplop 100rb per kepala", "serangan fajar sembako malam ini")]
)
PROBE = [f"{w} datang ke kampung kami" for w in ("Prabowo", "Anies", "Ganjar", "02", "01", "03", "Gibran", "Mahfud")]


def _tiny(tmp_path, blind_on: bool) -> str:
    p = write_jsonl(tmp_path / "biased.jsonl", [{"text": t, "labels": labs} for t, labs in BIASED])
    sets = ["model=tfidf", f"train=[{p}]", f"dev=[{p}]", f"test={p}", "tfidf_min_df=1", "tune_thresholds=false", "calibrate=false"]
    sets += [f"blind_candidates={'true' if blind_on else 'false'}", "swap_augment=false", f"output={tmp_path / ('b' if blind_on else 'n')}"]
    return str(train.train(load_config(None, sets)))


class NameBiased:
    """A fake model that flags partisanship whenever pair 2 is named: the bar the method must beat."""

    thresholds = np.full(4, 0.5)

    def predict_proba(self, texts):
        return np.array([[0.9 if any(k in t.lower() for k in ("prabowo", "02", "gibran")) else 0.1, 0.1, 0.1, 0.1] for t in texts])

    def decide(self, probs):
        return (probs >= self.thresholds).astype(int)


def test_blinded_model_does_not_flip_where_a_name_biased_one_does(tmp_path):
    biased = swap_check(NameBiased(), PROBE)["flip_rate"]
    assert biased > 0.5  # the check sees the bias of a model that reads names
    unblinded = swap_check(load_model(_tiny(tmp_path, blind_on=False)), PROBE)
    blinded_model = load_model(_tiny(tmp_path, blind_on=True))
    blinded = swap_check(blinded_model, PROBE)
    assert unblinded["flip_rate"] > 0, "a tiny model trained on biased data without blinding should flip"
    assert blinded["flip_rate"] == 0.0 and blinded["flip_rate"] < biased
    assert blinded_model.candidates is not None  # saved with the model and applied at load time


def test_swap_check_reports_mean_shift_per_direction():
    report = swap_check(NameBiased(), ["Prabowo datang", "Anies datang"])
    shifts = report["mean_shift"]
    assert shifts["2->1"]["partisanship"] == pytest.approx(-0.8)
    assert shifts["1->2"]["partisanship"] == pytest.approx(0.8)
    assert shifts["1->3"]["partisanship"] == pytest.approx(0.0)
