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
        # Variants the first regexes missed (issue 13).
        ("NIK 32.73.01.250580.0001 ya", "NIK [NIK] ya"),
        ("NIK 327301 2505 800001", "NIK [NIK]"),
        ("NIK 3273-0125-0580-0001", "NIK [NIK]"),
        ("NIP 1979 0312 2005 0110 03 tetap", "NIP 1979 0312 2005 0110 03 tetap"),
        ("telp (0812) 3456 7890 sore", "telp [TELEPON] sore"),
        ("hub +62 (812) 3456-7890", "hub [TELEPON]"),
        ("no 0 8 1 2 3 4 5 6 7 8 9 0 ya", "no [TELEPON] ya"),
        ("kantor (021) 555-1234 atau 0274 512345", "kantor [TELEPON] atau [TELEPON]"),
        ("+62 21 5551234", "[TELEPON]"),
        ("email budi[at]gmail.com ya", "email [EMAIL] ya"),
        ("budi (at) gmail (dot) com", "[EMAIL]"),
        ("budi @ gmail.com", "[EMAIL]"),
        ("Rp 1.500.000 untuk 250 KK, TPS 014, 12-02-2024, pukul 08.30", "Rp 1.500.000 untuk 250 KK, TPS 014, 12-02-2024, pukul 08.30"),
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
