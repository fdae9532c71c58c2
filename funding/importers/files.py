"""Files: check what an upload really is (size, type, encoding, zip bomb) and read it into a table of cells."""

import csv
import io
import zipfile
from dataclasses import dataclass

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Limits on an XLSX (a zip of XML files) checked before it is parsed, so that a small file cannot
# expand into gigabytes. A real 100,000-row workbook is about 30 MB unpacked, at ratios under 20.
XLSX_MAX_MEMBERS = 200
XLSX_MAX_UNPACKED = 200 * 1024 * 1024
XLSX_MAX_RATIO = 200
XLSX_RATIO_FLOOR = 1024 * 1024  # small members may compress extremely well and harmlessly


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: the row (1 is the header; None for the whole file), the column, a message."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        where = (
            f"Row {self.row}, column {self.column}: "
            if self.row
            else (f"Column {self.column}: " if self.column else "")
        )
        return f"{where}{self.message}"


class FileRejected(Exception):
    """The file as a whole cannot be read; `problem` says why."""

    def __init__(self, message, column=""):
        super().__init__(message)
        self.problem = Problem(row=None, column=column, message=message)


def _extension(file_name):
    name = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def size_text(size):
    """A number of bytes for people: 812 bytes, 40 KB, 5.0 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _check_size(data, max_bytes):
    if not data:
        raise FileRejected("The file is empty.")
    if max_bytes is not None and len(data) > max_bytes:
        raise FileRejected(f"The file is {size_text(len(data))}; the limit is {size_text(max_bytes)}.")


def _csv_table(data):
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        raise FileRejected(
            "The file is named .csv but is an Excel workbook. Name it .xlsx, or save it as 'CSV UTF-8' in Excel."
        )
    if b"\x00" in data:
        raise FileRejected("The file is not a CSV file: it holds binary data, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(
            "The file is not UTF-8 text. In Excel, use Save As and choose 'CSV UTF-8 (Comma delimited)'."
        ) from None
    if not text.strip():
        raise FileRejected("The file is empty.")
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    # The header has no numbers in it, so its separator is unambiguous; amounts may hold commas.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise FileRejected(f"The file is not valid CSV: {exc}.") from None


def _check_zip(data):
    """Refuse an XLSX that is not a real workbook, or would unpack into far more than it weighs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRejected("The file is not a valid Excel workbook (.xlsx): it is damaged or not a workbook.") from None
    with archive:
        if len(members) > XLSX_MAX_MEMBERS:
            raise FileRejected(f"The workbook holds {len(members)} parts; a real one holds far fewer. It was not read.")
        if "xl/workbook.xml" not in {m.filename for m in members}:
            raise FileRejected("The file is a zip archive but not an Excel workbook (.xlsx).")
        declared = sum(m.file_size for m in members)
        if declared > XLSX_MAX_UNPACKED:
            raise FileRejected(
                f"The workbook would unpack to {size_text(declared)} (limit {size_text(XLSX_MAX_UNPACKED)}); "
                "it was not read."
            )
        for member in members:
            ratio = member.file_size // max(member.compress_size, 1)
            if member.file_size > XLSX_RATIO_FLOOR and ratio > XLSX_MAX_RATIO:
                raise FileRejected(
                    f"The workbook part {member.filename} is compressed {ratio} times; "
                    "the file looks like a zip bomb and was not read."
                )
        # The sizes above are what the archive claims; count what it really unpacks to, in chunks.
        unpacked = 0
        try:
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(1024 * 1024):
                        unpacked += len(chunk)
                        if unpacked > XLSX_MAX_UNPACKED:
                            raise FileRejected(
                                f"The workbook unpacks to more than {size_text(XLSX_MAX_UNPACKED)}; "
                                "the file looks like a zip bomb and was not read."
                            )
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
            raise FileRejected("The file is not a valid Excel workbook (.xlsx): it is damaged.") from None


def _xlsx_table(data):
    if data.startswith(OLE2_MAGIC):
        raise FileRejected(
            "The workbook is password-protected (or is an old .xls file). "
            "Remove the password and save it as an Excel Workbook (.xlsx)."
        )
    if not data.startswith(ZIP_MAGIC):
        raise FileRejected("The file is named .xlsx but is not an Excel workbook.")
    _check_zip(data)
    import pandas as pd  # heavy: imported only when a workbook is read

    try:
        # dtype=object, not str: a cell Excel stores as a number has no number format and must
        # not be re-read by one (12.426 stored as a number is 12.426 whatever the user picked).
        # keep_default_na=False: "NA" is a code (Namibia), not a missing value.
        frame = pd.read_excel(
            io.BytesIO(data), engine="calamine", header=None, dtype=object, keep_default_na=False, sheet_name=0
        )
    except Exception:  # calamine raises its own error types for every kind of broken workbook
        raise FileRejected("The file is not a valid Excel workbook (.xlsx): it could not be read.") from None
    return frame.values.tolist()


def read_table(data, *, file_name, max_bytes=None):
    """File bytes + name -> list of rows of cells (the header first). Raises FileRejected saying why not.

    The extension says what the file should be and its first bytes must agree: a .csv is UTF-8 text
    (with or without a BOM, comma or semicolon separated), a .xlsx a real, reasonably sized workbook.
    """
    _check_size(data, max_bytes)
    extension = _extension(file_name)
    if extension == "csv":
        return _csv_table(data)
    if extension == "xlsx":
        return _xlsx_table(data)
    shown = f".{extension}" if extension else "a file without an extension"
    raise FileRejected(f"Upload a .csv or .xlsx file, not {shown}.")
