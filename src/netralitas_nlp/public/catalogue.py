"""The catalogue of third-party sources: what each is, its files and how to read them, and where they live.

``SOURCES`` holds the sources whose labels map to our ids (with ``TABLES``: a ``Table`` names a file,
its reader and how to turn a raw row into text and labels); ``UNLABELLED`` holds text-only sources for
masked-LM pretraining. The prose twin of this catalogue is docs/public-data.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .quirks import (
    _HS,
    _STANCE,
    Labels,
    Row,
    _article,
    _binary,
    _col,
    _mapped,
    _netifier_label,
    _tbh2019_claim,
    _tbh2024_claim,
    _title_key,
)

ENV_VAR = "NETRALITAS_SHARED_DATA"


def default_root() -> Path:
    """$NETRALITAS_SHARED_DATA, else ../shared/data from the working folder, read at call time."""
    return Path(os.environ.get(ENV_VAR, "../shared/data")).resolve()


DEFAULT_ROOT: Path = default_root()  # the value at import, for messages and test markers
USES = ("train", "eval", "personal")


@dataclass(frozen=True)
class Source:
    """One labelled third-party source. `use`: "train" | "eval" (evaluation-only) | "personal" (never released)."""

    slug: str
    title: str
    origin: str
    license: str
    citation: str
    covers: tuple[str, ...]
    use: str
    meaning: str
    register: str
    files: tuple[str, ...]
    splits: tuple[str, ...] = ("all",)
    eval_splits: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """One data file of a source and how to read it."""

    file: str
    text: Callable[[Row], str]
    label: Callable[[Row], Labels | None]
    reader: str = "csv"  # csv | xlsx
    encoding: str = "utf-8"
    sep: str = ","
    split: str = "all"
    orig: tuple[str, ...] = ()  # original columns kept as meta "orig_<name>"
    const: dict = field(default_factory=dict)  # fixed meta for every row of the file
    row_id: str | None = None  # column holding the original id; default: 0-based data-row index
    key: Callable[[Row], str] | None = None  # de-duplication key; default: the cleaned text


# ---------------------------------------------------------------- the tables

_IBROHIM_COLS = (
    "HS",
    "Abusive",
    "HS_Individual",
    "HS_Group",
    "HS_Religion",
    "HS_Race",
    "HS_Physical",
    "HS_Gender",
    "HS_Other",
    "HS_Weak",
    "HS_Moderate",
    "HS_Strong",
)

TABLES: dict[str, tuple[Table, ...]] = {
    "ibrohim2019-multilabel-hatespeech": (
        Table("re_dataset.csv", _col("Tweet"), _binary("HS", "hoax_hate", _HS), encoding="latin-1", orig=_IBROHIM_COLS),
    ),
    "netifier-toxicity": tuple(
        Table(
            f"{split}.csv",
            _col("original_text"),
            _netifier_label,
            split=split,
            orig=("source", "pornografi", "sara", "radikalisme", "pencemaran_nama_baik"),
        )
        for split in ("train", "test")
    ),
    "aulia2019-facebook-hatespeech": (Table("dataset.csv", _col("text"), _binary("label", "hoax_hate", _HS), orig=("label",)),),
    "desrul2019-news-comments-abusive": (
        Table(
            "news_comments_abusive.xlsx",
            _col("Kalimat"),
            _binary("label", "hoax_hate", frozenset({"3"})),  # 3 = abusive AND offensive; 2 = profanity only
            reader="xlsx",
            orig=("label",),
        ),
    ),
    "pratiwi2017-hoax-news": (
        Table(
            "pratiwi_600_news_hoax_valid.csv",
            _col("berita"),
            _mapped("tagging", "hoax_hate", {"hoax": 1, "valid": 0}),
            encoding="cp1252",
            sep=";",
            orig=("tagging",),
        ),
    ),
    "turnbackhoax2019-scrape": (
        Table(
            "turnbackhoax_2018_2019.csv",
            _tbh2019_claim,
            _mapped("verdict_from_url", "hoax_hate", {"salah": 1, "false": 1, "benar": 0}),
            orig=("verdict_from_url", "url"),
        ),
    ),
    "turnbackhoax2024-categorized": tuple(
        Table(
            file,
            _tbh2024_claim,
            lambda row: {"hoax_hate": 1},  # every row is a claim turnbackhoax.id debunked
            orig=("TITLE", "SENTIMENT_LABEL", mentioned),
            const={"orig_llm_category": category},  # each results file holds exactly one LLM_CATEGORY
            row_id="ID",
        )
        for file, category, mentioned in (
            ("sentiment_results.csv", "politics", "CANDIDATES_MENTIONED"),
            ("scam_sentiment_results.csv", "scam", "ENTITIES_MENTIONED"),
            ("others_sentiment_results.csv", "others", "ENTITIES_MENTIONED"),
        )
    ),
    "jannati2018-political-stance": (
        # The 2018 re-annotation comes first so its "stance final" wins over the 2016 label for shared titles.
        Table(
            "dataset_stance_2_label_2018_building_by_rini.csv",
            _article("Judul Artikel", "Isi Artikel"),
            _mapped("stance final", "partisanship", _STANCE),
            encoding="utf-8-sig",
            sep=";",
            orig=("Tokoh", "Event", "stance final"),
            key=_title_key("Judul Artikel"),
        ),
        Table(
            "dataset_stance_3_label_2016_building_by_cakra.csv",
            _article("title", "content"),
            _mapped("stance", "partisanship", _STANCE),  # "unknown" -> unmapped, dropped
            orig=("topic", "stance", "source"),
            key=_title_key("title"),
        ),
    ),
    "rizalespe-pilkada-dki-2017-sentiment": (
        Table(
            "dataset_tweet_sentiment_pilkada_DKI_2017.csv",
            _col("Text Tweet"),
            _mapped("Sentiment", "partisanship", {"positive": 1, "negative": 0}),
            encoding="utf-8-sig",
            orig=("Sentiment", "Pasangan Calon"),
            row_id="Id",
        ),
    ),
}


def _files(slug: str) -> tuple[str, ...]:
    return tuple(t.file for t in TABLES[slug])


SOURCES: dict[str, Source] = {
    s.slug: s
    for s in (
        Source(
            slug="ibrohim2019-multilabel-hatespeech",
            title="Ibrohim & Budi 2019, multi-label hate speech tweets",
            origin="https://github.com/okkyibrohim/id-multi-label-hate-speech-and-abusive-language-detection "
            "(commit be98de98e974b65838d2b5145ee2c89e9bf53a6b)",
            license="CC BY-NC-SA 4.0",
            citation="M. O. Ibrohim and I. Budi. 2019. Multi-label Hate Speech and Abusive Language Detection in "
            "Indonesian Twitter. ALW3, pp. 46-57. doi:10.18653/v1/W19-3506",
            covers=("hoax_hate",),
            use="train",
            meaning="HS=1 (hate speech against an individual, group, religion, race, ...) maps to hoax_hate=1, HS=0 to "
            "hoax_hate=0; abusive language without HS (profanity) is hoax_hate=0. No hoax label; other ids not covered.",
            register="tweet",
            files=_files("ibrohim2019-multilabel-hatespeech"),
        ),
        Source(
            slug="netifier-toxicity",
            title="Netifier 2018, multi-label toxicity of Twitter/Instagram/Kaskus posts",
            origin="https://github.com/ahmadizzan/netifier (commit 725b7ebc74fe5d6bc7de9f2edb55a4251bc944a5)",
            license="none stated in the repository (SEACrowd lists CC BY-NC-SA 4.0); treat as non-commercial research",
            citation="A. Izzan, C. Wibisono and I. F. Putra. 2018. Netifier (GitHub repository ahmadizzan/netifier); no paper.",
            covers=("hoax_hate",),
            use="train",
            meaning="hoax_hate=1 when any of sara (SARA hate), radikalisme (provocation) or pencemaran_nama_baik "
            "(defamation/slander, close to fitnah) is 1; pornografi alone is hoax_hate=0. The test split is evaluation-only.",
            register="social_post",
            files=_files("netifier-toxicity"),
            splits=("train", "test"),
            eval_splits=("test",),
        ),
        Source(
            slug="aulia2019-facebook-hatespeech",
            title="Aulia & Budi 2019, hate speech in long political Facebook posts",
            origin="https://github.com/nofaulia/hate-speech-detection (commit 4adbede067d36ea0e220985ff18faba73250e996)",
            license="none stated in the repository",
            citation="N. Aulia and I. Budi. 2019. Hate Speech Detection on Indonesian Long Text Documents Using Machine "
            "Learning Approach. ICCAI 2019, pp. 164-169. doi:10.1145/3330482.3330491",
            covers=("hoax_hate",),
            use="eval",
            meaning="HS=1 in Aulia 2019 means hate speech in a political Facebook post (Pilpres 2019); mapped to hoax_hate=1, "
            "HS=0 to hoax_hate=0. Many posts are openly partisan, but partisanship is not labelled (not covered).",
            register="facebook_post",
            files=_files("aulia2019-facebook-hatespeech"),
        ),
        Source(
            slug="desrul2019-news-comments-abusive",
            title="Kiasati Desrul & Romadhony 2019, abusive online-news comments",
            origin="https://github.com/dhamirdesrul/Indonesian-Online-News-Comments (commit 8507c86194ddfc807b7905ae09948342c15ef031)",
            license="none stated in the repository (SEACrowd lists CC BY-SA 4.0)",
            citation="D. R. Kiasati Desrul and A. Romadhony. 2019. Abusive Language Detection on Indonesian Online News "
            "Comments. ISRITI 2019, pp. 320-325. doi:10.1109/ISRITI48646.2019.9034620",
            covers=("hoax_hate",),
            use="eval",
            meaning="Proxy: label 3 (abusive and offensive, i.e. an insult aimed at someone) maps to hoax_hate=1; 1 (not "
            "abusive) and 2 (profanity, not offensive) map to 0. Offensive is not the same as hate speech, so read its "
            "recall as 'catches targeted insults' and its false positives with care.",
            register="news_comment",
            files=_files("desrul2019-news-comments-abusive"),
        ),
        Source(
            slug="pratiwi2017-hoax-news",
            title="Pratiwi, Asmara & Rahutomo 2017, hoax vs valid news articles",
            origin="https://github.com/svmihar/indo-hoax-dataset (commit 308ff68e4e51e536c2221fe51eb271e5ac1c443a); "
            "original Mendeley Data record p3hfgr5j3m",
            license="none in the mirror (SEACrowd lists the Mendeley record as CC BY 4.0)",
            citation="I. Y. R. Pratiwi, R. A. Asmara and F. Rahutomo. 2017. Study of hoax news detection using naive Bayes "
            "classifier in Indonesian language. ICTS 2017, pp. 73-78. doi:10.1109/ICTS.2017.8265649",
            covers=("hoax_hate",),
            use="train",
            meaning="Hoax maps to hoax_hate=1, Valid to hoax_hate=0, on whole news articles (many topics, long). Only the "
            "600-article file is read: 249 of the 250-article version's texts are in it.",
            register="news",
            files=_files("pratiwi2017-hoax-news"),
        ),
        Source(
            slug="turnbackhoax2019-scrape",
            title="TurnBackHoax (Mafindo) fact-checks 2018-2019, claim narratives",
            origin="https://github.com/svmihar/indo-hoax-dataset (commit f0330a45155a543ae27c7a2e1ca152d75843936c, eya.csv; "
            "cleaned copy in the shared folder)",
            license="none stated; texts are turnbackhoax.id fact-check write-ups",
            citation="Masyarakat Antifitnah Indonesia (Mafindo), turnbackhoax.id; scrape by svmihar/indo-hoax-dataset. No paper.",
            covers=("hoax_hate",),
            use="train",
            meaning="Only the quoted claim (the NARASI section, cut before the checker's own text) is used, because a debunk "
            "quoting a hoax gets no label. Verdict salah maps to hoax_hate=1, benar (claim confirmed) to 0; other verdicts "
            "and pages without a NARASI section are dropped.",
            register="fact_check_claim",
            files=_files("turnbackhoax2019-scrape"),
        ),
        Source(
            slug="turnbackhoax2024-categorized",
            title="TurnBackHoax 2024 debunked claims, LLM-categorised (politics/scam/others)",
            origin="https://github.com/alharkan7/turnbackhoax-analysis (commit d365e9a6bfdcff9cde7db35222c54ef71b957889)",
            license="none stated; claims and fact-checks come from turnbackhoax.id (Mafindo)",
            citation="alharkan7, turnbackhoax-analysis (GitHub), 'Indonesian Hoax Analysis 2024'; data from turnbackhoax.id. No paper.",
            covers=("hoax_hate",),
            use="train",
            meaning="Every row is a claim turnbackhoax.id debunked in 2024: the claim text (cut before any 'PENJELASAN'/'= = ='/"
            "'faktanya' debunk prose) maps to hoax_hate=1. Positives only: negatives must come from other sources. "
            "orig_llm_category (Gemini, not human) allows keeping only politics.",
            register="fact_check_claim",
            files=_files("turnbackhoax2024-categorized"),
        ),
        Source(
            slug="jannati2018-political-stance",
            title="Jannati et al. 2018, stance towards political figures in blog posts",
            origin="https://github.com/reneje/id_stance_dataset_article-Stance-Classification-Towards-Political-Figures-on-Blog-Writing "
            "(commit 2818ae563539a1acf0451ec602ba3cb5515d0b67)",
            license="CC BY-NC-SA 4.0",
            citation="R. Jannati, R. Mahendra, C. W. Wardhana and M. Adriani. 2018. Stance Classification Towards Political "
            "Figures on Blog Writing. IALP 2018, pp. 96-101. doi:10.1109/IALP.2018.8629144",
            covers=("partisanship",),
            use="train",
            meaning="Proxy: stance 'for' a named candidate maps to partisanship=1 (open support, as if the author were an ASN); "
            "'against' maps to 0, since smearing is not partisanship unless it backs another (convention 3), though some "
            "'against' posts implicitly back a rival. 'unknown'/'no' rows are dropped; shared titles keep the 2018 label.",
            register="blog",
            files=_files("jannati2018-political-stance"),
        ),
        Source(
            slug="rizalespe-pilkada-dki-2017-sentiment",
            title="Lestari et al. 2017, Pilkada DKI 2017 tweet sentiment per candidate pair",
            origin="https://github.com/rizalespe/Dataset-Sentimen-Analisis-Bahasa-Indonesia "
            "(commit 9d792604b1297bece6dbdf4d3c5101560d34a892)",
            license="personal use only ('tersedia untuk penggunaan pribadi'); keep out of anything released",
            citation="A. R. T. Lestari, R. S. Perdana and M. A. Fauzi. 2017. Analisis Sentimen Tentang Opini Pilkada DKI 2017 "
            "Pada Dokumen Twitter Berbahasa Indonesia Menggunakan Naive Bayes dan Pembobotan Emoji. JPTIIK 1(12), 1718-1724.",
            covers=("partisanship",),
            use="personal",
            meaning="Weak proxy: a positive tweet about a candidate pair maps to partisanship=1 (praise or support, as if the "
            "poster were an ASN); a negative tweet maps to 0 (smearing is not partisanship, convention 3). Positive tweets "
            "include neutral-positive news, so precision is limited. Upstream removed stopwords.",
            register="tweet",
            files=_files("rizalespe-pilkada-dki-2017-sentiment"),
        ),
    )
}


# ---------------------------------------------------------------- unlabelled text (masked-LM pretraining)


@dataclass(frozen=True)
class UTable:
    file: str
    reader: str  # csv | indolem_json
    text: str = "text"
    sep: str = ","
    encoding: str = "utf-8"


UNLABELLED: dict[str, tuple[UTable, ...]] = {
    "pemilu2024-capres-tweets": (UTable("pemilu2024_capres_tweets.csv", "csv"),),
    "satriadata2024-bdc-pilpres-tweets": (
        UTable("dataset_penyisihan_bdc_2024.csv", "csv", sep=";"),
        UTable("dataset_unlabeled_penyisihan_bdc_2024.csv", "csv", text="Text", sep=";"),
    ),
    "indolem-tweets-unlabeled": tuple(
        UTable(f, "indolem_json")
        for f in (
            "tweet_ordering_train0.json",
            "tweet_ordering_dev0.json",
            "tweet_ordering_test0.json",
            "next_tweet_prediction_dev.json",
            "next_tweet_prediction_test.json",
        )
    ),
}


# ---------------------------------------------------------------- paths and flags


def _root(root: Path | str | None) -> Path:
    if root is not None:
        return Path(root)
    return default_root()


def source_dir(slug: str, root: Path | None = None) -> Path:
    if slug not in SOURCES and slug not in UNLABELLED:
        raise KeyError(f"unknown source {slug!r} (known: {', '.join([*SOURCES, *UNLABELLED])})")
    return _root(root) / slug


def available(slug: str, root: Path | None = None) -> bool:
    folder = source_dir(slug, root)
    files = SOURCES[slug].files if slug in SOURCES else tuple(t.file for t in UNLABELLED[slug])
    return folder.is_dir() and all((folder / f).is_file() for f in files)
