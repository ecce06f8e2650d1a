import io

import pytest
from fpdf import FPDF

from tests.uploads import samples
from uploads.pipeline.errors import ImageTooLarge, UnsupportedDocument
from uploads.pipeline.extract import ExtractedText, TextSource, extract_text, tesseract_path


@pytest.fixture
def no_tesseract(monkeypatch, tmp_path):
    """A PATH with nothing on it, as on a machine without tesseract."""
    monkeypatch.setenv("PATH", str(tmp_path))


def test_a_pdf_gives_its_text_layer_and_page_count():
    result = extract_text(io.BytesIO(samples.pathology_report_pdf()))

    assert result.page_count == 1
    assert result.source is TextSource.TEXT_LAYER
    assert "HER2 (4B5): score 2+ (equivocal)." in result.text
    assert "PD-L1 (22C3): CPS 8. TPS 5%." in result.text
    assert "pT3 pN1 cM0, Stage IIB" in result.text


def test_the_pages_of_a_pdf_are_separated_by_form_feeds():
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for line in ("Page one: clinic letter.", "Page two: blood results.", "Page three: plan."):
        pdf.add_page()
        pdf.cell(0, 10, line)

    result = extract_text(io.BytesIO(bytes(pdf.output())))

    assert result.page_count == 3
    assert result.text.split("\f") == ["Page one: clinic letter.", "Page two: blood results.", "Page three: plan."]


def test_a_pdf_with_an_empty_user_password_is_read():
    encrypted = samples.encrypted_pdf(user_password="", owner_password="owner-secret")

    assert "CLDN18.2: positive in 80%" in extract_text(io.BytesIO(encrypted)).text


def test_a_pdf_that_needs_a_password_is_refused():
    encrypted = samples.encrypted_pdf(user_password="patient-secret")

    with pytest.raises(UnsupportedDocument, match="password"):
        extract_text(io.BytesIO(encrypted))


def test_a_damaged_pdf_is_refused():
    with pytest.raises(UnsupportedDocument, match="cannot be read"):
        extract_text(io.BytesIO(b"%PDF-1.7\nnot really a PDF at all\n"))


def test_without_ocr_an_image_gives_one_page_and_no_text():
    scan = samples.image_bytes(samples.scanned_page(), "PNG")

    assert extract_text(io.BytesIO(scan), ocr=False) == ExtractedText(text="", page_count=1, source=TextSource.NONE)


@pytest.mark.usefixtures("no_tesseract")
def test_without_tesseract_images_and_scanned_pdfs_give_their_pages_and_no_text():
    photo = samples.photo_with_metadata("JPEG")
    nothing_on_one_page = ExtractedText(text="", page_count=1, source=TextSource.NONE)

    assert extract_text(io.BytesIO(photo)) == nothing_on_one_page
    assert extract_text(io.BytesIO(samples.scanned_pdf())) == nothing_on_one_page
    assert extract_text(io.BytesIO(samples.multipage_tiff(3))).page_count == 3


def test_an_image_bomb_is_refused_before_anything_reads_it():
    with pytest.raises(ImageTooLarge):
        extract_text(io.BytesIO(samples.decompression_bomb_png(9_000, 9_000)))


def test_a_file_of_another_type_is_refused():
    with pytest.raises(UnsupportedDocument, match="text/html"):
        extract_text(io.BytesIO(b"<!DOCTYPE html><html><body>Results</body></html>"))


@pytest.mark.skipif(tesseract_path() is None, reason="tesseract is not installed; OCR is optional")
def test_ocr_reads_a_scanned_letter_and_a_scanned_pdf():
    scan = samples.image_bytes(samples.scanned_page(), "PNG")

    image_result = extract_text(io.BytesIO(scan))
    pdf_result = extract_text(io.BytesIO(samples.scanned_pdf()))

    assert image_result.source is TextSource.OCR
    assert "Dear Dr Okafor" in image_result.text
    assert pdf_result.source is TextSource.OCR
    assert "Yours sincerely" in pdf_result.text
