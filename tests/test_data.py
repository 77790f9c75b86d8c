import codecs
import json

import openpyxl
import pytest

from netralitas_nlp.data import DataError, detect_encoding, label_matrix, read_examples

ROW = "Kades pakai kaos paslon, bagi amplop"


def write(path, content: str, encoding: str = "utf-8"):
    path.write_bytes(content.encode(encoding))
    return path


def test_jsonl_keeps_metadata_and_labels(tmp_path):
    p = write(
        tmp_path / "a.jsonl",
        json.dumps({"id": "x1", "text": ROW, "labels": ["money_politics", "partisanship"], "register": "tweet"}) + "\n",
    )
    [ex] = read_examples(p)
    assert ex.labels == ["partisanship", "money_politics"]  # taxonomy order
    assert ex.meta == {"id": "x1", "register": "tweet"}
    assert label_matrix([ex]).tolist() == [[1, 0, 0, 1]]


def test_csv_semicolon_labels_sniffed_delimiter_and_multiline(tmp_path):
    p = write(tmp_path / "a.csv", 'id;text;labels\n1;"baris satu\nbaris dua";"partisanship; money_politics"\n2;netral;\n')
    a, b = read_examples(p)
    assert a.text == "baris satu\nbaris dua" and a.labels == ["partisanship", "money_politics"]
    assert b.labels == []


def test_tsv(tmp_path):
    p = write(tmp_path / "a.tsv", "text\tlabels\tunit\nhalo, apa kabar\thoax_hate\tDinas A\n")
    [ex] = read_examples(p)
    assert ex.labels == ["hoax_hate"] and ex.meta["unit"] == "Dinas A"


@pytest.mark.parametrize("encoding,expected", [("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16")])
def test_encodings_are_detected(tmp_path, encoding, expected):
    text = "text,labels\n“Pak Camat” café amplop,money_politics\n"
    p = write(tmp_path / "a.csv", text, encoding)
    assert detect_encoding(p) == expected
    [ex] = read_examples(p)
    assert ex.text == "“Pak Camat” café amplop"


def test_utf8_bom_header_is_clean(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes(codecs.BOM_UTF8 + b"text,labels\nhalo,\n")
    assert read_examples(p)[0].text == "halo"


def test_excel(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "text", "labels"])
    ws.append([7, "Camat ancam mutasi staf", "intimidation"])
    ws.append([8, "Rapat RT biasa", None])
    wb.save(tmp_path / "a.xlsx")
    a, b = read_examples(tmp_path / "a.xlsx")
    assert a.labels == ["intimidation"] and a.meta["id"] == "7" and b.labels == []


@pytest.mark.parametrize(
    "name,content,reason,row",
    [
        ("bad.jsonl", '{"text": "a", "labels": []}\n{"text": "b", "labels": ["bribery"]}\n', "unknown label 'bribery'", 2),
        ("bad.jsonl", '{"text": "a", "labels": []}\n{"txt": "b", "labels": []}\n', "missing `text`", 2),
        ("bad.jsonl", '{"text": "   ", "labels": []}\n', "empty text", 1),
        ("bad.jsonl", '{"text": "a", "labels": []}\n{"text": "b", labels: []}\n', "invalid JSON", 2),
        ("bad.jsonl", '["a", []]\n', "expected a JSON object", 1),
        ("bad.jsonl", '{"text": "a"}\n', "missing `labels`", 1),
        ("bad.csv", "text,labels\nok,\n,hoax_hate\n", "empty text", 2),
        ("bad.csv", "isi,labels\nhalo,\n", "missing `text`", 1),
        ("bad.csv", 'text,labels\n"tanda kutip rusak,\n', "broken CSV", None),
        ("bad.csv", "text,labels\n", "no data rows", None),
        ("bad.csv", "a,b\n1,2,3,4\n", "cells but the header has", 1),
        ("bad.tsv", "\n\n", "empty file", None),
        ("bad.parquet", "x", "unsupported file type", None),
    ],
)
def test_bad_files_name_file_row_and_reason(tmp_path, name, content, reason, row):
    p = write(tmp_path / name, content)
    with pytest.raises(DataError) as err:
        read_examples(p)
    assert reason in str(err.value)
    assert str(p) in str(err.value)
    assert err.value.row == row


def test_empty_file(tmp_path):
    p = write(tmp_path / "e.jsonl", "")
    with pytest.raises(DataError, match="empty file"):
        read_examples(p)


def test_binary_file_is_unreadable_encoding(tmp_path):
    p = tmp_path / "b.csv"
    p.write_bytes(b"text,labels\n\x00\x01\x02\x00garbage\n")
    with pytest.raises(DataError, match="unreadable encoding"):
        read_examples(p)


def test_late_invalid_utf8_names_the_row(tmp_path):
    head = "".join(f'{{"text": "baris {i}", "labels": []}}\n' for i in range(5000)).encode()
    p = tmp_path / "late.jsonl"
    p.write_bytes(head + b'{"text": "rusak \xff\xfe", "labels": []}\n')
    with pytest.raises(DataError, match="unreadable encoding") as err:
        read_examples(p)
    assert err.value.row == 5001


def test_broken_xlsx(tmp_path):
    p = write(tmp_path / "a.xlsx", "this is not a zip")
    with pytest.raises(DataError, match="not a readable .xlsx"):
        read_examples(p)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        read_examples(tmp_path / "nope.jsonl")
