"""The taxonomy: the four label ids and the reference text behind each.

Every other module reads label ids and their order from here. The reference text (pledge point,
SKB 2022 violation forms, sanctions) is shown to triage staff; it is a reading aid, not a ruling:
whether a real case breaks the rules is always decided by a human.
"""

from __future__ import annotations

from dataclasses import dataclass

HUMAN_DECISION_NOTE = (
    "Reference text only. This tool screens texts; whether an ASN actually broke the rules, and "
    "which sanction applies, is decided by the competent officials after clarification "
    "(Keputusan akhir ada pada pejabat yang berwenang, bukan pada model)."
)


@dataclass(frozen=True)
class Label:
    id: str
    name_id: str  # Indonesian name shown to staff
    pledge_point: str
    definition: str
    behaviours: tuple[str, ...]
    skb_forms: tuple[str, ...]  # SKB 2022 annex violation forms this label covers
    sanctions: tuple[str, ...]  # references for triage staff, not a verdict


PARTISANSHIP = Label(
    id="partisanship",
    name_id="Keberpihakan / memihak peserta pemilu",
    pledge_point="Ikrar butir 2: tidak memihak kepada pasangan calon tertentu (dan butir 1: menjaga netralitas).",
    definition=(
        "An ASN shows or gives support to a candidate, candidate pair or party: campaigning, "
        "promoting on social media, attending declarations or campaign events with active support, "
        "wearing attributes, partisan hand symbols, membership or roles in a campaign team."
    ),
    behaviours=(
        "posting, commenting on, sharing or liking a candidate's campaign content; joining or following its group or account",
        "photos with a candidate or campaign team as support; partisan finger-number poses; party attributes",
        "attending a declaration or campaign event and giving active support",
        "putting up banners or campaign material",
        "acting as campaign team member, expert or consultant; party membership",
        "collecting KTP copies or letters of support for a DPD candidate",
        "decisions or actions that benefit or harm a candidate",
    ),
    skb_forms=(
        "Memasang spanduk/baliho/alat peraga kampanye bakal calon/calon",
        "Sosialisasi/kampanye melalui media sosial/online bakal calon",
        "Menghadiri deklarasi/kampanye pasangan calon dan memberikan tindakan/dukungan aktif",
        "Membuat posting, comment, share, like, bergabung/follow grup atau akun pemenangan calon",
        "Memposting foto bersama calon/tim pemenangan/alat peraga, meniru simbol tangan, memakai atribut partai",
        "Ikut dalam kegiatan kampanye/sosialisasi/pengenalan calon atau partai",
        "Melakukan pendekatan ke partai politik sebagai bakal calon; menjadi anggota/pengurus partai",
        "Menjadi tim ahli/tim pemenangan/konsultan calon",
        "Memberikan dukungan kepada calon DPD dengan surat dukungan atau mengumpulkan fotokopi KTP",
        "Membuat keputusan/tindakan yang menguntungkan atau merugikan calon (UU 7/2017 Pasal 282-283)",
    ),
    sanctions=(
        "Pelanggaran kode etik: sanksi moral pernyataan secara tertutup atau terbuka (PP 42/2004)",
        "Pelanggaran disiplin: PP 94/2021 (sedang: pemotongan tunjangan kinerja 25% selama 6/9/12 bulan; "
        "berat: penurunan jabatan, pembebasan dari jabatan, pemberhentian)",
        "Pidana pemilu untuk tindakan yang menguntungkan/merugikan peserta: UU 7/2017 Pasal 282-283, 494",
    ),
)

INTIMIDATION = Label(
    id="intimidation",
    name_id="Intimidasi, ancaman, dan konflik kepentingan",
    pledge_point="Ikrar butir 2: menghindari konflik kepentingan, tidak melakukan intimidasi dan ancaman.",
    definition=(
        "Pressure, threats or coercion about how someone votes or whether they join a campaign, "
        "usually by a superior over staff, or by an official over aid recipients; abuse of office "
        "that creates a conflict of interest."
    ),
    behaviours=(
        "a superior ordering or pressuring staff to vote for, or campaign for, a candidate",
        "threats of transfer (mutasi), demotion or non-renewal of honorer/PPPK contracts",
        "threatening to cut bansos/PKH or services unless people vote a certain way",
        "demanding photo proof of a ballot; forced mobilisation of staff to campaign events",
    ),
    skb_forms=(
        "Mengadakan kegiatan yang mengarah pada keberpihakan: pertemuan, ajakan, himbauan, seruan "
        "kepada ASN dalam lingkungan unit kerja (aspek tekanan kepada bawahan)",
        "Membuat keputusan/tindakan yang menguntungkan atau merugikan calon (UU 7/2017 Pasal 282-283)",
    ),
    sanctions=(
        "Pelanggaran disiplin: PP 94/2021 (termasuk hukuman disiplin berat untuk penyalahgunaan wewenang)",
        "Pidana pemilu: UU 7/2017 Pasal 282-283 dan 494; ancaman kekerasan untuk menghalangi pemilih: Pasal 531",
    ),
)

HOAX_HATE = Label(
    id="hoax_hate",
    name_id="Ujaran kebencian dan hoaks",
    pledge_point="Ikrar butir 3: menggunakan media sosial secara bijak, tidak menyebarkan ujaran kebencian dan berita bohong (hoaks).",
    definition=(
        "An ASN posts or forwards hate speech (insults or provocation against ethnicity, religion, "
        "race or group: SARA; dehumanising slurs) or a hoax: false or fabricated claims, for example "
        "about candidates or the election process."
    ),
    behaviours=(
        "SARA insults and slurs against a group or a candidate's group",
        "provocation to hostility or violence",
        "creating or forwarding fake news, doctored claims or fabricated 'leaks' about the election",
    ),
    skb_forms=("Membuat posting/comment/share di media sosial (konten ujaran kebencian dan hoaks, ikrar butir 3)",),
    sanctions=(
        "Pelanggaran kode etik dan disiplin: PP 42/2004, PP 94/2021",
        "UU ITE (UU 11/2008 jo. UU 19/2016 dan perubahannya): penyebaran berita bohong dan ujaran kebencian",
    ),
)

MONEY_POLITICS = Label(
    id="money_politics",
    name_id="Politik uang dan pemberian barang",
    pledge_point="Ikrar butir 4: menolak politik uang dan segala jenis pemberian dalam bentuk apapun.",
    definition=(
        "Vote buying and gifts tied to an election: money, envelopes, sembako, aid or promises given "
        "or accepted in exchange for votes or support, including an ASN handing them out."
    ),
    behaviours=(
        "serangan fajar; amplop or 'uang transport' tied to a vote",
        "sembako, beras, sarung, vouchers or pulsa handed out for a candidate",
        "offering extra aid or projects in exchange for votes",
        "an ASN accepting money or gifts from a campaign",
    ),
    skb_forms=(
        "Mengadakan kegiatan yang mengarah pada keberpihakan termasuk pemberian barang kepada ASN dalam "
        "lingkungan unit kerja, anggota keluarga, dan masyarakat",
    ),
    sanctions=(
        "Pidana pemilu politik uang: UU 7/2017 Pasal 523 (juga Pasal 280 ayat 1 huruf j); Pilkada: UU 10/2016 Pasal 187A",
        "Pelanggaran disiplin: PP 94/2021",
    ),
)

TAXONOMY: tuple[Label, ...] = (PARTISANSHIP, INTIMIDATION, HOAX_HATE, MONEY_POLITICS)
LABELS: tuple[str, ...] = tuple(label.id for label in TAXONOMY)
LABEL_INDEX: dict[str, int] = {name: i for i, name in enumerate(LABELS)}
BY_ID: dict[str, Label] = {label.id: label for label in TAXONOMY}


def validate_labels(labels: list[str]) -> list[str]:
    """Return `labels` de-duplicated in taxonomy order; raise ValueError on an unknown id."""
    unknown = [x for x in labels if x not in LABEL_INDEX]
    if unknown:
        raise ValueError(f"unknown label {unknown[0]!r} (expected one of: {', '.join(LABELS)})")
    return [x for x in LABELS if x in set(labels)]
