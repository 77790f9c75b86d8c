from netralitas_nlp.normalize import normalize, slang_table


def test_placeholders_and_whitespace():
    out = normalize("Cek  https://t.co/abc123 dari @akun_fiktif, email a.b@x.go.id\n\nyaa")
    assert out == "Cek URL dari @USER , email EMAIL yaa"


def test_repeated_letters_capped_but_digits_kept():
    assert normalize("bangeeeet 2000 wkwkwkkkk") == "bangeet 2000 wkwkwkk"


def test_slang_maps_whole_words_only():
    assert normalize("Gk tau yg mana, gkmau", slang=True) == "tidak tau yang mana, gkmau"


def test_mojibake_is_repaired():
    assert normalize("Pak Camat bilang â€œpilih nomor 2â€\x9d") == 'Pak Camat bilang "pilih nomor 2"'


def test_slang_table_is_loaded_and_has_no_identity_pairs():
    table = slang_table()
    assert len(table) > 50
    assert all(k != v for k, v in table.items())
