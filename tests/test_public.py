"""Adapters for the third-party datasets: table consistency, quirky formats (hand-made fixtures) and the real files.

Fixture texts are made up here; no row of the shared data is copied into this file.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from netralitas_nlp import public
from netralitas_nlp.data import DataError
from netralitas_nlp.labels import LABELS
from netralitas_nlp.public import DEFAULT_ROOT, SOURCES, UNLABELLED

IBROHIM_HEADER = ["Tweet", *public._IBROHIM_COLS]


def _csv(rows: list[list], sep: str = ",", eol: str = "\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator=eol).writerows(rows)
    return buf.getvalue()


def _put(root: Path, slug: str, file: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = root / slug / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def _ibrohim_row(text: str, hs: int, abusive: int) -> list:
    return [text, hs, abusive, *([0] * 10)]


# ---------------------------------------------------------------- the table (always runs)


def test_sources_table_is_consistent():
    for slug, src in SOURCES.items():
        assert src.slug == slug
        assert src.covers and set(src.covers) <= set(LABELS)
        assert src.use in public.USES
        for name in ("title", "origin", "license", "citation", "meaning", "register"):
            assert getattr(src, name).strip(), (slug, name)
        assert "github.com" in src.origin or "huggingface" in src.origin
        assert src.files == tuple(t.file for t in public.TABLES[slug])
        assert set(src.eval_splits) <= set(src.splits)
        assert {t.split for t in public.TABLES[slug]} == set(src.splits)


def test_eval_only_flags_match_the_readme():
    assert {s for s, src in SOURCES.items() if src.use == "eval"} == {"aulia2019-facebook-hatespeech", "desrul2019-news-comments-abusive"}
    assert public.is_eval_only("aulia2019-facebook-hatespeech")
    assert public.is_eval_only("desrul2019-news-comments-abusive", "all")
    assert public.is_eval_only("netifier-toxicity", "test")
    assert public.is_eval_only("netifier-toxicity", "all")  # "all" contains the test split
    assert not public.is_eval_only("netifier-toxicity", "train")
    assert not public.is_eval_only("ibrohim2019-multilabel-hatespeech")
    assert SOURCES["rizalespe-pilkada-dki-2017-sentiment"].use == "personal"


def test_left_out_sources_are_not_labelled_sources():
    for slug in ("ibrohim2018-abusive", "hoax-headlines-pilpres2024", *UNLABELLED):
        assert slug not in SOURCES
    assert set(UNLABELLED) == {"pemilu2024-capres-tweets", "satriadata2024-bdc-pilpres-tweets", "indolem-tweets-unlabeled"}


def test_default_root_is_absolute():
    assert DEFAULT_ROOT.is_absolute()


# ---------------------------------------------------------------- quirky formats, hand-made fixtures


def test_latin1_csv_literal_newlines_duplicates_and_conflicts(tmp_path):
    rows = [
        IBROHIM_HEADER,
        _ibrohim_row("Dasar kaum kalian semua\\nmemang penipu, caf\xe9 mereka", 1, 1),
        _ibrohim_row("anjir macet banget pagi ini", 0, 1),  # abusive only: not hoax_hate
        _ibrohim_row("  DASAR kaum kalian semua\\nmemang   penipu, caf\xe9 mereka ", 0, 0),  # duplicate, conflicting label
        _ibrohim_row("   ", 0, 0),
    ]
    _put(tmp_path, "ibrohim2019-multilabel-hatespeech", "re_dataset.csv", _csv(rows), encoding="latin-1")
    examples, stats = public.load_source_with_stats("ibrohim2019-multilabel-hatespeech", root=tmp_path)
    assert [ex.labels for ex in examples] == [["hoax_hate"], []]
    assert examples[0].text == "Dasar kaum kalian semua\nmemang penipu, caf\u00e9 mereka"
    assert stats | {"positives": None} == {
        "n_raw": 4,
        "n_empty": 1,
        "n_unmapped": 0,
        "n_reserved_dropped": 0,
        "n_eval_overlap": 0,
        "n_duplicate": 1,
        "n_conflicting": 1,
        "n_out": 2,
        "positives": None,
    }
    meta = examples[1].meta
    assert meta["source"] == "ibrohim2019-multilabel-hatespeech" and meta["covered"] == ["hoax_hate"]
    assert meta["source_row"] == 1 and meta["split"] == "all" and meta["orig_Abusive"] == "1"


def test_semicolon_cp1252_crlf_multiline(tmp_path):
    text = "Jakarta \u2013 Warga heboh \u201ckabar\u201d palsu.\r\nParagraf kedua berita."
    content = _csv([["berita", "tagging"], [text, "Hoax"], ["Berita biasa tentang cuaca", "Valid"]], sep=";", eol="\r\n")
    _put(tmp_path, "pratiwi2017-hoax-news", "pratiwi_600_news_hoax_valid.csv", content, encoding="cp1252")
    examples = public.load_source("pratiwi2017-hoax-news", root=tmp_path)
    assert [ex.labels for ex in examples] == [["hoax_hate"], []]
    assert examples[0].text == 'Jakarta \u2013 Warga heboh "kabar" palsu.\nParagraf kedua berita.'  # ftfy: CRLF -> LF, quotes uncurled


def _jannati(root: Path) -> None:
    body = json.dumps(["Paragraf pertama tulisan.", "Paragraf kedua."])
    rows_2018 = [
        ["Tokoh", "Event", "Judul Artikel", "Isi Artikel", "stance final", ""],
        ["tokoh a", "Pilgub", "Judul Satu", body, "for", ""],
        ["tokoh a", "Pilgub", "Judul Dua", body, "againts", ""],
        ["tokoh b", "Pilpres", "Judul Tiga", body, "no", ""],
    ]
    rows_2016 = [
        ["no", "_id", "topic", "title", "content", "stance", "source", "nnps"],
        [1, "x1", "tokoh a", "judul satu ", body, "against", "http://blog.example/1", "[]"],  # shared title, other label
        [2, "x2", "tokoh c", "Judul Empat", body, "unknown", "http://blog.example/2", "[]"],
        [3, "x3", "tokoh c", "Judul Lima", body, "for", "http://blog.example/3", "[]"],
    ]
    _put(root, "jannati2018-political-stance", "dataset_stance_2_label_2018_building_by_rini.csv", "\ufeff" + _csv(rows_2018, sep=";"))
    _put(root, "jannati2018-political-stance", "dataset_stance_3_label_2016_building_by_cakra.csv", _csv(rows_2016))


def test_utf8_sig_semicolon_label_typos_and_title_dedupe(tmp_path):
    _jannati(tmp_path)
    examples, stats = public.load_source_with_stats("jannati2018-political-stance", root=tmp_path)
    titles = [ex.text.split("\n")[0] for ex in examples]
    assert titles == ["Judul Satu", "Judul Dua", "Judul Lima"]
    assert [ex.labels for ex in examples] == [["partisanship"], [], ["partisanship"]]  # the 2018 label wins
    assert examples[0].text.endswith("Paragraf pertama tulisan.\nParagraf kedua.")
    assert (stats["n_unmapped"], stats["n_duplicate"], stats["n_conflicting"]) == (2, 1, 1)
    assert examples[0].meta["orig_Tokoh"] == "tokoh a"


def test_mojibake_is_repaired_and_eval_rows_are_dropped(tmp_path):
    original = "Postingan kebencian soal caf\u00e9 \u2018politik\u2019 itu"
    mojibake = original.encode("utf-8").decode("cp1252")  # UTF-8 bytes read as Windows-1252
    clean = "Postingan kebencian soal caf\u00e9 'politik' itu"  # ftfy also uncurls quotes
    rows = [["text", "label"], [mojibake, 1], ["Tulisan panjang biasa", 0], ["Tulisan cadangan", 0], ["tulisan  cadangan", 0]]
    _put(tmp_path, "aulia2019-facebook-hatespeech", "dataset.csv", _csv(rows))
    _put(tmp_path, "aulia2019-facebook-hatespeech", "EVAL_ROWS.txt", "# reserved rows: file<TAB>0-based data-row index\ndataset.csv\t2\n")
    examples, stats = public.load_source_with_stats("aulia2019-facebook-hatespeech", root=tmp_path)
    assert [ex.text for ex in examples] == [clean, "Tulisan panjang biasa"]
    assert stats["n_reserved_dropped"] == 2  # the listed row and the same text elsewhere
    kept = public.load_source("aulia2019-facebook-hatespeech", root=tmp_path, drop_reserved=False)
    assert len(kept) == 3


def test_xlsx_offensive_maps_to_hoax_hate(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (("Kalimat", "label"), ("komentar biasa saja", 1), ("komentar kasar tanpa sasaran", 2), ("hinaan untuk si penulis", 3)):
        sheet.append(row)
    (tmp_path / "desrul2019-news-comments-abusive").mkdir()
    book.save(tmp_path / "desrul2019-news-comments-abusive" / "news_comments_abusive.xlsx")
    examples = public.load_source("desrul2019-news-comments-abusive", root=tmp_path)
    assert [ex.labels for ex in examples] == [[], [], ["hoax_hate"]]


def _netifier(root: Path) -> None:
    header = ["original_text", "source", "pornografi", "sara", "radikalisme", "pencemaran_nama_baik"]
    train = [
        header,
        ["teks porno saja", "twitter", 1, 0, 0, 0],
        ["fitnah ke tokoh", "kaskus", 0, 0, 0, 1],
        ["teks bersama", "instagram", 0, 1, 0, 0],
    ]
    test = [header, ["Teks  bersama", "instagram", 0, 1, 0, 0], ["ajakan radikal", "twitter", 0, 0, 1, 0]]
    _put(root, "netifier-toxicity", "train.csv", _csv(train))
    _put(root, "netifier-toxicity", "test.csv", _csv(test))


def test_netifier_splits_mapping_and_test_overlap(tmp_path):
    _netifier(tmp_path)
    train, stats = public.load_source_with_stats("netifier-toxicity", root=tmp_path, split="train")
    assert [(ex.text, ex.labels) for ex in train] == [("teks porno saja", []), ("fitnah ke tokoh", ["hoax_hate"])]
    assert stats["n_eval_overlap"] == 1  # its text is in the evaluation-only test split
    test = public.load_source("netifier-toxicity", root=tmp_path, split="test")
    assert [ex.labels for ex in test] == [["hoax_hate"], ["hoax_hate"]] and {ex.meta["split"] for ex in test} == {"test"}
    both = public.load_source("netifier-toxicity", root=tmp_path)
    assert [ex.meta["split"] for ex in both] == ["train", "train", "test", "test"]
    with pytest.raises(ValueError, match="splits"):
        public.load_source("netifier-toxicity", root=tmp_path, split="dev")


def test_eval_texts_are_dropped_from_other_training_sources(tmp_path):
    _netifier(tmp_path)
    rows = [IBROHIM_HEADER, _ibrohim_row("ajakan radikal", 1, 0), _ibrohim_row("cuitan lain", 0, 0)]
    _put(tmp_path, "ibrohim2019-multilabel-hatespeech", "re_dataset.csv", _csv(rows), encoding="latin-1")
    examples, stats = public.load_source_with_stats("ibrohim2019-multilabel-hatespeech", root=tmp_path)
    assert [ex.text for ex in examples] == ["cuitan lain"] and stats["n_eval_overlap"] == 1


def test_turnbackhoax_2019_uses_the_claim_only(tmp_path):
    page = (
        "Ringkasan pemeriksa. ===== Kategori: Konten Palsu ===== "
        "NARASI: \u201cKotak suara sudah dicoblos semua, sebarkan!\u201d ===== PENJELASAN: bukan begitu."
    )
    rows = [
        ["url", "verdict_from_url", "text"],
        ["https://turnbackhoax.example/a", "salah", page],
        [
            "https://turnbackhoax.example/b",
            "benar",
            "Pengantar. NARASI: Jadwal pencoblosan memang hari Rabu pagi. Selengkapnya di bagian PENJELASAN",
        ],
        ["https://turnbackhoax.example/c", "berita", "NARASI: Berita tentang kegiatan pemeriksa fakta minggu ini"],
        ["https://turnbackhoax.example/d", "salah", "Tidak ada bagian narasi di halaman ini, Selengkapnya di bagian NARASI."],
    ]
    _put(tmp_path, "turnbackhoax2019-scrape", "turnbackhoax_2018_2019.csv", _csv(rows, eol="\r\n"))
    examples, stats = public.load_source_with_stats("turnbackhoax2019-scrape", root=tmp_path)
    assert [(ex.text, ex.labels) for ex in examples] == [
        ('"Kotak suara sudah dicoblos semua, sebarkan!"', ["hoax_hate"]),
        ("Jadwal pencoblosan memang hari Rabu pagi.", []),
    ]
    assert (stats["n_unmapped"], stats["n_empty"]) == (1, 1)


def test_turnbackhoax_2024_cuts_debunk_prose(tmp_path):
    slug = "turnbackhoax2024-categorized"
    header = ["ID", "TITLE", "HOAX_TEXT", "SENTIMENT_LABEL", "SENTIMENT_SCORE"]
    files = {
        "sentiment_results.csv": [
            [*header, "CANDIDATES_MENTIONED"],
            [7, "[SALAH] Judul", "Capres X mundur hari ini!! = = = = PENJELASAN: tidak benar", "negative", 0.9, "X"],
        ],
        "scam_sentiment_results.csv": [
            [*header, "ENTITIES_MENTIONED"],
            [8, "[SALAH] Judul", "Klik tautan ini dapat hadiah motor gratis", "neutral", 0.5, ""],
        ],
        "others_sentiment_results.csv": [
            [*header, "ENTITIES_MENTIONED"],
            [9, "[SALAH] Judul", "Pendek. Faktanya tidak ada.", "neutral", 0.5, ""],
        ],
    }
    for file, rows in files.items():
        _put(tmp_path, slug, file, _csv(rows))
    examples, stats = public.load_source_with_stats(slug, root=tmp_path)
    assert [ex.text for ex in examples] == ["Capres X mundur hari ini!!", "Klik tautan ini dapat hadiah motor gratis"]
    assert all(ex.labels == ["hoax_hate"] for ex in examples) and stats["n_empty"] == 1
    assert [ex.meta["orig_llm_category"] for ex in examples] == ["politics", "scam"]
    assert examples[0].meta["source_row"] == "7"


def test_rizalespe_sentiment_to_partisanship(tmp_path):
    rows = [
        ["Id", "Sentiment", "Pasangan Calon", "Text Tweet"],
        [1, "positive", "Paslon A", "semangat paslon a menang"],
        [2, "negative", "Paslon A", "paslon a gagal total"],
    ]
    _put(
        tmp_path, "rizalespe-pilkada-dki-2017-sentiment", "dataset_tweet_sentiment_pilkada_DKI_2017.csv", "\ufeff" + _csv(rows, eol="\r\n")
    )
    examples = public.load_source("rizalespe-pilkada-dki-2017-sentiment", root=tmp_path)
    assert [ex.labels for ex in examples] == [["partisanship"], []]
    assert examples[0].meta["orig_Pasangan Calon"] == "Paslon A" and examples[0].meta["source_row"] == "1"


def test_unlabelled_csv_drops_reserved_rows(tmp_path):
    slug = "pemilu2024-capres-tweets"
    rows = [["candidate", "row_id", "date", "text", "text_en", "label"]]
    rows += [
        ["A", i, "2023-01-01", text, "", "Positive"]
        for i, text in enumerate(["satu dua", "tiga empat", "", "satu dua", "lima enam", "tiga empat"])
    ]
    _put(tmp_path, slug, "pemilu2024_capres_tweets.csv", _csv(rows))
    _put(tmp_path, slug, "EVAL_ROWS.txt", "# header\npemilu2024_capres_tweets.csv\t1\n")
    texts, stats = public.load_unlabelled_with_stats(slug, root=tmp_path)
    assert texts == ["satu dua", "lima enam"]
    assert (stats["n_empty"], stats["n_reserved_dropped"], stats["n_duplicate"]) == (1, 2, 1)
    assert public.load_unlabelled(slug, root=tmp_path, drop_reserved=False) == ["satu dua", "tiga empat", "lima enam"]


def test_unlabelled_semicolon_mojibake(tmp_path):
    slug = "satriadata2024-bdc-pilpres-tweets"
    mojibake = "kata caf\u00e9 \u2018netral\u2019".encode().decode("cp1252")
    _put(
        tmp_path,
        slug,
        "dataset_penyisihan_bdc_2024.csv",
        _csv([["text", "label"], [mojibake, "Politik"], ["tweet lain", "Ekonomi"]], sep=";"),
    )
    _put(tmp_path, slug, "dataset_unlabeled_penyisihan_bdc_2024.csv", _csv([["IDText", "Text"], ["T1", "tweet ketiga"]], sep=";"))
    _put(tmp_path, slug, "EVAL_ROWS.txt", "# header\ndataset_unlabeled_penyisihan_bdc_2024.csv\t0\n")
    assert public.load_unlabelled(slug, root=tmp_path) == ["kata caf\u00e9 'netral'", "tweet lain"]


def test_unlabelled_json_key_paths(tmp_path):
    slug = "indolem-tweets-unlabeled"
    for file in (t.file for t in UNLABELLED[slug]):
        _put(tmp_path, slug, file, "[]")
    threads = [{"tweets": ["utas satu", "utas dua"], "next_tweet": [[0, "balasan salah"], [1, "balasan benar"]]}]
    _put(tmp_path, slug, "next_tweet_prediction_dev.json", json.dumps(threads))
    _put(tmp_path, slug, "tweet_ordering_train0.json", json.dumps([{"tweets": ["utas tiga", "balasan benar"], "order": [0, 1]}]))
    _put(
        tmp_path,
        slug,
        "EVAL_ROWS.txt",
        '# header\nnext_tweet_prediction_dev.json\t[0, "next_tweet", 1, 1]\nnext_tweet_prediction_dev.json\t[0, "tweets", 0]\n',
    )
    assert public.reserved_rows(tmp_path / slug) == {
        ("next_tweet_prediction_dev.json", (0, "next_tweet", 1, 1)),
        ("next_tweet_prediction_dev.json", (0, "tweets", 0)),
    }
    assert sorted(public.load_unlabelled(slug, root=tmp_path)) == ["balasan salah", "utas dua", "utas tiga"]


def test_missing_file_names_it_and_hints_the_env_var(tmp_path):
    assert not public.available("aulia2019-facebook-hatespeech", root=tmp_path)
    with pytest.raises(DataError, match="NETRALITAS_SHARED_DATA") as err:
        public.load_source("aulia2019-facebook-hatespeech", root=tmp_path)
    assert "dataset.csv" in str(err.value)
    with pytest.raises(KeyError):
        public.source_dir("no-such-source", root=tmp_path)


def test_unreadable_encoding_is_a_data_error(tmp_path):
    _put(tmp_path, "aulia2019-facebook-hatespeech", "dataset.csv", b"text,label\n\xff\xfe broken,1\n")
    with pytest.raises(DataError, match="dataset.csv"):
        public.load_source("aulia2019-facebook-hatespeech", root=tmp_path)


def test_cli_list_and_export(tmp_path, capsys):
    _netifier(tmp_path)
    assert public.main(["list", "--root", str(tmp_path)]) == 0
    listing = capsys.readouterr().out
    assert "netifier-toxicity" in listing and "available" in listing and "missing" in listing
    out = tmp_path / "out.jsonl"
    assert public.main(["export", "netifier-toxicity", "-o", str(out), "--split", "train", "--root", str(tmp_path)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["labels"] for r in rows] == [[], ["hoax_hate"]]
    assert all(r["source"] == "netifier-toxicity" and r["covered"] == ["hoax_hate"] and r["text"] for r in rows)


def test_cli_refuses_the_project_data_folder(tmp_path):
    _netifier(tmp_path)
    target = public.PROJECT_DATA / "netifier-export.jsonl"
    assert public.main(["export", "netifier-toxicity", "-o", str(target), "--root", str(tmp_path)]) == 2
    assert not target.exists()


# ---------------------------------------------------------------- the real shared data

real = pytest.mark.skipif(not DEFAULT_ROOT.is_dir(), reason="../shared/data not present")

# (slug, split): (raw rows counted in SOURCE.md, min and max rows out, {label: (min, max) positives out})
EXPECTED = {
    ("ibrohim2019-multilabel-hatespeech", "all"): (13169, 12800, 13169, {"hoax_hate": (5400, 5561)}),
    ("netifier-toxicity", "train"): (6995, 6000, 6995, {"hoax_hate": (2300, 2800)}),
    ("netifier-toxicity", "test"): (778, 740, 778, {"hoax_hate": (270, 330)}),
    ("aulia2019-facebook-hatespeech", "all"): (906, 906, 906, {"hoax_hate": (229, 229)}),
    ("desrul2019-news-comments-abusive", "all"): (3184, 3100, 3184, {"hoax_hate": (270, 285)}),
    ("pratiwi2017-hoax-news", "all"): (600, 590, 600, {"hoax_hate": (225, 228)}),
    ("turnbackhoax2019-scrape", "all"): (990, 620, 780, {"hoax_hate": (580, 700)}),
    ("turnbackhoax2024-categorized", "all"): (3715, 3500, 3715, {"hoax_hate": (3500, 3715)}),
    ("jannati2018-political-stance", "all"): (337 + 402, 400, 430, {"partisanship": (225, 265)}),
    ("rizalespe-pilkada-dki-2017-sentiment", "all"): (900, 890, 900, {"partisanship": (445, 450)}),
}


@pytest.fixture(scope="module")
def loaded():
    return {key: public.load_source_with_stats(key[0], split=key[1]) for key in EXPECTED}


@real
def test_every_source_split_is_expected():
    assert set(EXPECTED) == {(slug, split) for slug, src in SOURCES.items() for split in src.splits}


@real
@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_real_source_loads_with_plausible_counts(loaded, key):
    if not public.available(key[0]):
        pytest.skip(f"{key[0]} not present")
    examples, stats = loaded[key]
    n_raw, lo, hi, positives = EXPECTED[key]
    assert stats["n_raw"] == n_raw
    assert lo <= stats["n_out"] <= hi
    dropped = ("n_empty", "n_unmapped", "n_reserved_dropped", "n_eval_overlap", "n_duplicate")
    assert stats["n_out"] == len(examples) == n_raw - sum(stats[k] for k in dropped)
    for label, (pmin, pmax) in positives.items():
        assert pmin <= stats["positives"][label] <= pmax, (label, stats["positives"][label])
    covers = list(SOURCES[key[0]].covers)
    for ex in examples:
        assert ex.text and ex.text == ex.text.strip()
        assert ex.meta["source"] == key[0] and ex.meta["covered"] == covers
        assert set(ex.labels) <= set(covers)
    assert len({public.dedupe_key(ex.text) for ex in examples}) == len(examples)


@real
def test_real_eval_texts_do_not_reach_training_sources(loaded):
    held = {public.dedupe_key(ex.text) for key, (exs, _) in loaded.items() if public.is_eval_only(*key) for ex in exs}
    for key, (examples, _) in loaded.items():
        if not public.is_eval_only(*key):
            assert not held & {public.dedupe_key(ex.text) for ex in examples}, key


@real
@pytest.mark.parametrize("slug", sorted(UNLABELLED))
def test_real_unlabelled_drops_every_reserved_row(slug):
    if not public.available(slug):
        pytest.skip(f"{slug} not present")
    folder = public.source_dir(slug)
    reserved = public.reserved_rows(folder)
    assert reserved, "EVAL_ROWS.txt lists rows"
    reserved_texts = set()
    for table in UNLABELLED[slug]:
        for loc, raw in public._unlabelled_rows(folder, table):
            if (table.file, loc) in reserved:
                reserved_texts.add(public.dedupe_key(public.clean_text(raw)))
    texts, stats = public.load_unlabelled_with_stats(slug)
    assert stats["n_reserved_dropped"] >= len(reserved_texts - {""}) > 0
    assert not reserved_texts & {public.dedupe_key(t) for t in texts}
