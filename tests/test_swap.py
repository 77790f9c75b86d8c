import numpy as np
import pytest

from netralitas_nlp.swap import permutations, swap_candidates, swap_check

CYCLE = {"1": "2", "2": "3", "3": "1"}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Ayo coblos paslon 02!! #Prabowo2 pose dua jari", "Ayo coblos paslon 03!! #Ganjar3 pose tiga jari"),
        ("PNS kok pasang stiker nomor urut 1, salam Satu jari", "PNS kok pasang stiker nomor urut 2, salam Dua jari"),
        ("kaos PRABOWO-GIBRAN dan no.3", "kaos GANJAR-MAHFUD dan no.1"),
        ("Anies menang! 01 pasti", "Prabowo menang! 02 pasti"),
        # Coalition parties move with their pair; lower-case "pan"/"pks" are words, not parties.
        ("caleg Gerindra dan PKB, kader nasdem", "caleg PDIP dan Golkar, kader gerindra"),
        ("pan penggorengan, pks typo", "pan penggorengan, pks typo"),
        # Dates, times, money and counts are not candidate references.
        ("tgl 02/03 jam 01:30, Rp 2.000, 3 orang", "tgl 02/03 jam 01:30, Rp 2.000, 3 orang"),
    ],
)
def test_swap_candidates(text, expected):
    assert swap_candidates(text, CYCLE) == expected


def test_permutations_are_the_five_non_identity_ones():
    perms = permutations()
    assert len(perms) == 5 and {"1": "1", "2": "2", "3": "3"} not in perms


def test_swap_back_is_identity():
    text = "Kades suruh warga coblos paslon 02, yg pilih 01 atau 03 dicoret bansosnya #Ganjar3"
    inverse = {v: k for k, v in CYCLE.items()}
    assert swap_candidates(swap_candidates(text, CYCLE), inverse) == text


class NumberBiased:
    """A fake predictor that flags partisanship only when '02' appears: the check must catch it."""

    thresholds = np.array([0.5, 0.5, 0.5, 0.5])

    def predict_proba(self, texts):
        return np.array([[0.9 if "02" in t else 0.1, 0.1, 0.1, 0.1] for t in texts])

    def decide(self, probs):
        return (probs >= self.thresholds).astype(int)


def test_swap_check_catches_a_number_biased_model():
    texts = ["PNS ini kampanye paslon 02", "PNS ini kampanye paslon 01", "jalan rusak"]
    report = swap_check(NumberBiased(), texts)
    assert report["with_candidate_reference"] == 2
    assert report["flip_rate_per_label"]["partisanship"] == pytest.approx(2 / 3)
    assert report["flip_rate_per_label"]["intimidation"] == 0.0
    assert report["largest_shifts"][0]["shift"] == pytest.approx(0.8)
