import pytest
from hypothesis import given
from hypothesis import strategies as st

from netralitas_nlp.pii import mask_pii


@pytest.mark.parametrize(
    "text,expected",
    [
        ("NIK saya 3273012505800001, mohon dirahasiakan", "NIK saya [NIK], mohon dirahasiakan"),
        ("nik: 3273 0125 0580 0001.", "nik: [NIK]."),
        ("hub sy di 0812-3456-7890 atau +62 813 9876 5432", "hub sy di [TELEPON] atau [TELEPON]"),
        ("WA 6285712345678 (a.n. Budi)", "WA [TELEPON] (a.n. Budi)"),
        ("email: pelapor.anonim+lapor@gmail.co.id, cc inspektorat@jatengprov.go.id", "email: [EMAIL], cc [EMAIL]"),
        ("Kades bagi amplop Rp100.000 ke 35 KK pd 12/02/2024 di TPS 014", "Kades bagi amplop Rp100.000 ke 35 KK pd 12/02/2024 di TPS 014"),
        ("NIP 197903122005011003 tetap tampil", "NIP 197903122005011003 tetap tampil"),
    ],
)
def test_realistic_strings(text, expected):
    assert mask_pii(text) == expected


@given(st.text(alphabet="abcdefghij ,.-", max_size=80))
def test_text_without_digits_or_at_is_unchanged(text):
    assert mask_pii(text) == text


@given(st.from_regex(r"08[1-9][0-9]{7,10}", fullmatch=True))
def test_every_mobile_number_is_masked(number):
    assert mask_pii(f"telp {number} ya") == "telp [TELEPON] ya"
