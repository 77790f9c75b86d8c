"""Shared fixtures: a tiny hand-written labelled set (not drawn from the seed corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TINY = [
    ("Sbg PNS sy dukung paslon 02, gaskeun menang satu putaran!", ["partisanship"]),
    ("Pak camat pakai kaos partai dan pose dua jari di deklarasi capres", ["partisanship"]),
    ("Guru PPPK ini share terus konten kampanye caleg Partai Maju di FB", ["partisanship"]),
    ("Kadis ikut pasang baliho cabup nomor 1 di depan kantor dinas", ["partisanship"]),
    ("Kepala sekolah mengancam guru honorer: kontrak tidak diperpanjang kalau tidak pilih no 3", ["intimidation"]),
    ("Staf diwajibkan foto surat suara sbg bukti coblos paslon 1, kalau tidak dimutasi", ["intimidation"]),
    ("Kades bilang bansos dicabut bagi warga yang tidak mendukung cabup 2", ["intimidation"]),
    ("Atasan menekan pegawai agar hadir di kampanye, yang absen diancam dipindah", ["intimidation"]),
    ("PNS Dinas X sebar pesan: surat suara sudah dicoblos untuk paslon 3, sebarkan!", ["hoax_hate"]),
    ("ASN ini posting hinaan SARA, suku itu dasar babi semua", ["hoax_hate"]),
    ("Pegawai kecamatan forward kabar KPU sudah diatur menangkan 01, viralkan", ["hoax_hate"]),
    ("Bidan desa unggah status kafir semua pendukung capres sebelah", ["hoax_hate"]),
    ("Kades bagi amplop 100rb per kepala buat coblos caleg Partai Maju", ["money_politics"]),
    ("Pendamping PKH janjikan beras tambahan kalau pilih paslon 2", ["money_politics"]),
    ("Lurah bagi-bagi sembako dari timses menjelang serangan fajar", ["money_politics"]),
    ("Sekdes bagikan uang transport 50rb per orang untuk pilih cabup 1", ["money_politics"]),
    ("Kades pakai kaos paslon 1 sambil bagi amplop ke warga", ["partisanship", "money_politics"]),
    ("Camat ancam mutasi staf dan bilang capres lawan antek asing", ["intimidation", "hoax_hate"]),
    ("Apel ikrar netralitas ASN digelar di halaman kantor bupati", []),
    ("[HOAKS] Beredar pesan surat suara sudah dicoblos. Faktanya KPU membantah", []),
    ("TPS sampah di pasar penuh, bau sampai kantor kelurahan", []),
    ("Arisan ibu-ibu dinas bulan ini di rumah bu Sri, jangan lupa bawa uang", []),
    ("Jadwal pencairan PKH tahap 4 mulai minggu depan di kantor pos", []),
    ("Caleg Partai Maju bagi kaos ke relawan, dia bukan ASN", []),
    ("Saya PNS menolak amplop dari timses dan melaporkannya ke Bawaslu", []),
    ("Antrean puskesmas nomor urut 2 lama sekali dipanggilnya", []),
    ("Jalan desa rusak parah sudah setahun belum diperbaiki", []),
    ("THR dan gaji ke-13 PNS cair minggu ini kata BKD", []),
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def tiny_rows() -> list[dict]:
    return [{"id": f"t{i:03d}", "text": t, "labels": labs, "register": "tweet"} for i, (t, labs) in enumerate(TINY)]


@pytest.fixture
def tiny_splits(tmp_path: Path, tiny_rows: list[dict]) -> dict[str, Path]:
    """The same tiny set as train, dev and test: enough to exercise the harness end to end."""
    return {s: write_jsonl(tmp_path / f"{s}.jsonl", tiny_rows) for s in ("train", "dev", "test")}
