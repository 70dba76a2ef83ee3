"""The journals as one file to download (the web back office's accounts export): beancount or the plain CSV
as `till accounts export` writes them, and Xero's files, more than one when a period needs it, in a zip.
Each file's text is the writer's own (accounts/beancount.py, plain_csv.py, xero.py), so the download and
the command's files are the same bytes."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from accounts import beancount, plain_csv, xero
from accounts.chart import Chart
from accounts.journals import Export
from core.errors import TillError

FORMATS = {"csv": "a spreadsheet (one posting a row)", "beancount": "beancount", "xero": "Xero's manual journals"}


@dataclass(frozen=True)
class Download:
    name: str
    media_type: str
    content: bytes


def _text(write) -> bytes:
    out = io.StringIO()
    write(out)
    return out.getvalue().encode("utf-8")


def download(found: Export, kind: str, *, chart: Chart, first: date, last: date) -> Download:
    """`found` as `kind` (FORMATS), named for its period."""
    base = f"accounts-{first.isoformat()}-to-{last.isoformat()}"
    if kind == "beancount":
        return Download(f"{base}.beancount", "text/plain; charset=utf-8",
                        _text(lambda out: beancount.write(found, out, chart=chart, first=first, last=last)))
    if kind == "csv":
        return Download(f"{base}.csv", "text/csv; charset=utf-8",
                        _text(lambda out: plain_csv.write(found, out, chart=chart)))
    if kind != "xero":
        raise TillError("choose beancount, Xero or a spreadsheet's CSV")
    batches = xero.batches(found)
    files = [(name.name, _text(lambda out, journals=journals: xero.write(journals, out, chart=chart)))
             for journals, name in zip(batches, xero.names(Path(f"{base}-xero.csv"), len(batches)), strict=True)]
    if len(files) == 1:
        return Download(files[0][0], "text/csv; charset=utf-8", files[0][1])
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, content in files:
            # A fixed date in the zip, not the moment of download: the same period gives the same bytes.
            bundle.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return Download(f"{base}-xero.zip", "application/zip", packed.getvalue())
