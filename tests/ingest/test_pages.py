"""Pages of uploaded files: type by magic bytes, counts, lazy iteration, and clear refusals."""

import csv
import hashlib
import struct
import zlib

import pypdfium2
import pytest
from PIL import Image

from ingest.pages import JPEG, PDF, PNG, TIFF, UnreadableFile, count_pages, detect_type, iter_pages, open_page


def manifest(corpus_dir):
    with open(corpus_dir / "MANIFEST.csv", newline="", encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def test_types_come_from_magic_bytes_not_names(corpus_dir):
    assert detect_type(corpus_dir / "bad" / "png-named-as-pdf-za-sca-2024-p1.pdf") == PNG
    assert detect_type(corpus_dir / "scan-ae-decree-law-39-2022-p1.tif") == TIFF
    assert detect_type(corpus_dir / "scan-ae-decree-law-39-2022-p2.jpg") == JPEG
    assert detect_type(corpus_dir / "scan-ae-decree-law-39-2022-p3-4.pdf") == PDF


def test_png_named_pdf_is_read_as_an_image(corpus_dir):
    path = corpus_dir / "bad" / "png-named-as-pdf-za-sca-2024-p1.pdf"
    pages = list(iter_pages(path))
    assert count_pages(path) == 1 and len(pages) == 1
    assert pages[0].kind == PNG and pages[0].render().size == Image.open(path).size


def test_pdf_opening_with_eof_marker_before_header_is_read(corpus_dir):
    path = corpus_dir / "us-moctapp-2021-jagels-v-state.pdf"
    assert path.read_bytes().startswith(b"%%EOF")
    assert detect_type(path) == PDF
    assert count_pages(path) == int(manifest(corpus_dir)[path.name]["pages"])


@pytest.mark.parametrize("name", ["scan-ae-decree-law-39-2022-p3-4.pdf", "us-scotus-2013-tarrant-v-herrmann-scan-p1-2.pdf"])
def test_pdf_pages_are_counted_and_rendered(corpus_dir, name):
    expected = int(manifest(corpus_dir)[name]["pages"])
    assert count_pages(corpus_dir / name) == expected
    numbers = []
    for page in iter_pages(corpus_dir / name):
        width, height = page.pdf_page.get_size()
        image = page.render(dpi=72)
        assert abs(image.width - width) <= 1 and abs(image.height - height) <= 1
        numbers.append(page.number)
    assert numbers == list(range(1, expected + 1))


@pytest.mark.parametrize("compression", ["group4", "tiff_lzw"])
def test_multipage_tiff_is_read_frame_by_frame(corpus_dir, tmp_path, compression):
    sources = ["scan-ae-decree-law-39-2022-p1.tif", "scan-ae-decree-law-39-2022-p2.jpg", "scan-fr-ccass-com-2020-19-19463-p29.tif"]
    mode = "1" if compression == "group4" else "L"
    frames = [Image.open(corpus_dir / name).convert("L").reduce(4).convert(mode) for name in sources]
    path = tmp_path / "bundle.bin"  # no extension: the type must come from the bytes
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:], compression=compression)

    assert detect_type(path) == TIFF
    assert count_pages(path) == 3
    pages = iter_pages(path)
    first = next(pages)  # a generator: one frame decoded per step
    rest = list(pages)
    for page, frame in zip([first, *rest], frames, strict=True):
        assert page.render().size == frame.size
        assert page.render().convert("L").tobytes() == frame.convert("L").tobytes()
    assert [page.number for page in [first, *rest]] == [1, 2, 3]


def _three_page_tiff(corpus_dir, path):
    sources = ["scan-ae-decree-law-39-2022-p1.tif", "scan-ae-decree-law-39-2022-p2.jpg", "scan-fr-ccass-com-2020-19-19463-p29.tif"]
    frames = [Image.open(corpus_dir / name).convert("L").reduce(4) for name in sources]
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    return frames


def test_one_page_opened_alone_is_the_page_iteration_gives(corpus_dir, tmp_path):
    frames = _three_page_tiff(corpus_dir, tmp_path / "bundle.tif")
    with open_page(tmp_path / "bundle.tif", 2) as page:
        assert page.number == 2 and page.kind == TIFF
        assert page.render().tobytes() == frames[1].tobytes()
    with open_page(corpus_dir / "scan-ae-decree-law-39-2022-p3-4.pdf", 2) as page:
        assert page.number == 2 and page.kind == PDF and page.pdf_page.get_size()[0] > 0
    with pytest.raises(UnreadableFile, match="has 3 page.*no page 4"):
        with open_page(tmp_path / "bundle.tif", 4):
            pass


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_a_truncated_multipage_tiff_fails_with_a_clear_error(corpus_dir, tmp_path):
    path = tmp_path / "cut.tif"
    _three_page_tiff(corpus_dir, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(UnreadableFile, match="cut.tif.*damaged"):
        count = count_pages(path)
        for number in range(1, count + 1):
            with open_page(path, number) as page:
                page.render()


def test_zero_byte_file_is_refused(corpus_dir):
    with pytest.raises(UnreadableFile, match="empty"):
        count_pages(corpus_dir / "bad" / "empty-zero-bytes.pdf")


def test_truncated_pdf_is_refused(corpus_dir):
    with pytest.raises(UnreadableFile, match="damaged or truncated PDF"):
        list(iter_pages(corpus_dir / "bad" / "truncated-us-taxcourt-2020-bordelon.pdf"))


def test_every_bad_file_is_refused_or_read_by_its_real_type(corpus_dir):
    for path in sorted((corpus_dir / "bad").iterdir()):
        try:
            pages = list(iter_pages(path))
        except UnreadableFile as error:
            assert path.name.split("-")[0] in {"empty", "truncated"}, path.name
            assert path.name in str(error)
        else:
            assert path.name.startswith("png-") and pages[0].kind == PNG


def test_truncated_image_is_refused(corpus_dir, tmp_path):
    data = (corpus_dir / "scan-ae-decree-law-39-2022-p2.jpg").read_bytes()
    path = tmp_path / "half.jpg"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableFile, match="damaged"):
        list(iter_pages(path))


def test_unsupported_type_is_refused(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_text("Just some text, not a PDF.\n")
    with pytest.raises(UnreadableFile, match="unsupported type"):
        count_pages(path)


def _png_header_only(width, height):
    """A PNG that declares its size and holds one row of data: enough for Pillow to read the header."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b"")


def test_decompression_bomb_is_refused_with_a_message(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(20000, 20000))  # 400 million pixels, above the 180 million default
    with pytest.raises(UnreadableFile, match="decompression bomb"):
        list(iter_pages(path))


def test_pixel_limit_comes_from_the_setting(settings, tmp_path, monkeypatch):
    # ingest.pages sets Pillow's process-wide limit from the setting: put it back for other tests.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)
    path = tmp_path / "page.png"
    Image.new("L", (100, 100), 255).save(path)
    settings.SIJILL_MAX_PAGE_PIXELS = 5000
    with pytest.raises(UnreadableFile, match="5,000"):
        list(iter_pages(path))
    settings.SIJILL_MAX_PAGE_PIXELS = 20000
    assert len(list(iter_pages(path))) == 1


def _rc4(key, data):
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def _encrypted_pdf(user_password):
    """A one-page PDF under the standard security handler, revision 2 (40-bit RC4), per ISO 32000-1 7.6.3."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    padded = lambda password: (password.encode() + pad)[:32]
    owner = _rc4(hashlib.md5(padded("owner")).digest()[:5], padded(user_password))
    permissions = -4
    file_id = hashlib.md5(b"sijill test").digest()
    key = hashlib.md5(padded(user_password) + owner + struct.pack("<i", permissions) + file_id).digest()[:5]
    user = _rc4(key, pad)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + owner.hex().encode() + b"> /U <" + user.hex().encode()
        + b"> /P " + str(permissions).encode() + b" >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, file_id.hex().encode(), file_id.hex().encode(), xref))
    return bytes(out)


def test_encrypted_pdf_is_refused(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf("secret"))
    # The file itself is sound: with its password pdfium opens it.
    assert len(pypdfium2.PdfDocument(str(path), password="secret")) == 1
    with pytest.raises(UnreadableFile, match="encrypted PDF that needs a password"):
        count_pages(path)
