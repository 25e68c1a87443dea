"""Files students might upload as readiness documents, real and hostile, and a private storage for the tests."""
import io
import zipfile

import pytest
from PIL import Image


def pdf(text="Police clearance"):
    """A small, valid one-page PDF."""
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% " + text.encode() + b"\n")
    return body + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def image(kind="PNG", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=kind)
    return out.getvalue()


# A Windows program (MZ header and PE stub) and a Linux one, as a student's "police_clearance.pdf".
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00" + b"\x00" * 400
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 300
HTML = b"<!doctype html><script>alert(document.cookie)</script>"
# The EICAR test string every virus scanner reports as infected (harmless by design).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def zipped():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("run.exe", EXECUTABLE)
    return out.getvalue()


HOSTILE = {
    "an executable renamed .pdf": ("clearance.pdf", EXECUTABLE),
    "a Linux program renamed .pdf": ("clearance.pdf", ELF),
    "a web page renamed .png": ("photo.png", HTML),
    "a zip renamed .jpg": ("photo.jpg", zipped()),
    "a PDF cut short": ("clearance.pdf", pdf()[:-20]),
    "a PNG cut short": ("photo.png", image()[:60]),
    "a GIF (not accepted)": ("photo.gif", image("GIF")),
    "an executable with a PDF header later": ("clearance.pdf", EXECUTABLE + pdf()),
    "an empty file": ("clearance.pdf", b""),
}


def scanner_refusing_eicar(data, content_type):
    """A scanner as MAYDAN_UPLOAD_SCANNER names one: a reason to refuse, or None."""
    return "EICAR test signature" if EICAR in data else None


def broken_scanner(data, content_type):
    raise ConnectionError("clamd is not answering")


@pytest.fixture
def document_storage(settings, tmp_path):
    """The documents in their own storage alias, as production names an S3 bucket: here a private folder."""
    settings.STORAGES = {**settings.STORAGES, "maydan_documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "docs")}}}
    settings.MAYDAN_DOCUMENT_STORAGE = "maydan_documents"
    return tmp_path / "docs"


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []
