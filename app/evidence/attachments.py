"""Evidence kept with a case: checking a file (type by content, size), thumbnails, sealed chunked storage."""
from __future__ import annotations

import hashlib
import io
from pathlib import PurePath

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.core import clock, codes
from app.core.clock import LOCAL_TZ
from app.core.errors import Choices, FieldError
from app.storage import crypto
from app.storage.models import Attachment, AttachmentChunk, Case

MAX_BYTES = 20 * 1024 * 1024
CHUNK = 1024 * 1024  # one row of attachment_chunks
THUMB_PX = 240

# Detected type: the extensions that may carry it, and its name for people.
TYPES: dict[str, tuple[tuple[str, ...], str]] = {
    "jpeg": ((".jpg", ".jpeg", ".jfif"), "JPEG 照片"),
    "png": ((".png",), "PNG 图片"),
    "gif": ((".gif",), "GIF 图片"),
    "webp": ((".webp",), "WebP 图片"),
    "heic": ((".heic", ".heif"), "HEIC 照片"),
    "pdf": ((".pdf",), "PDF 文件"),
}
IMAGE_TYPES = frozenset({"jpeg", "png", "gif", "webp", "heic"})
THUMBNAIL_TYPES = IMAGE_TYPES - {"heic"}  # Pillow reads no HEIC without a plug-in
ACCEPTED = "JPG、PNG、GIF、WebP、HEIC 照片或 PDF"
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def detect(data: bytes) -> str | None:
    """The file's type from its first bytes (magic numbers), whatever its name says."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "heic"
    if data[:1024].lstrip(b"\x00\t\r\n ").startswith(b"%PDF-"):
        return "pdf"
    return None


def type_of_name(name: str) -> str | None:
    ext = PurePath(name).suffix.lower()
    return next((t for t, (exts, _n) in TYPES.items() if ext in exts), None)


def empty_message(shown: str) -> str:
    return f"“{shown}”是空文件（0 字节），没有保存"


def too_big_message(shown: str, size: int) -> str:
    return f"“{shown}”有 {size / 1024 / 1024:.1f} MB，超过每个附件 20 MB 的上限，没有保存"


def check(name: str, data: bytes) -> str:
    """The detected type of an acceptable file, or a FieldError saying in Chinese why it is refused."""
    shown = PurePath(name).name or "（无名文件）"
    if not data:
        raise FieldError("file", empty_message(shown))
    if len(data) > MAX_BYTES:
        raise FieldError("file", too_big_message(shown, len(data)))
    found = detect(data)
    named = type_of_name(shown)
    if named is None:
        raise FieldError("file", f"“{shown}”不是可作附件的类型（只收{ACCEPTED}），没有保存")
    if found is None:
        raise FieldError("file", f"“{shown}”的内容不是可识别的{ACCEPTED}，没有保存")
    if found != named:
        raise FieldError("file", f"“{shown}”的内容与扩展名不符（扩展名表示{TYPES[named][1]}，内容是{TYPES[found][1]}），"
                                 "没有保存")
    if not readable(data, found):
        raise FieldError("file", f"“{shown}”不完整或已损坏（开头像{TYPES[found][1]}，内容却读不出来），没有保存")
    return found


def readable(data: bytes, file_type: str) -> bool:
    """Beyond the first bytes: Pillow reads the image through, pdfium opens the PDF (a 4-byte "JPEG" that
    a half-sent upload left is not evidence). HEIC needs a plug-in Pillow lacks: its header is all we check."""
    if file_type == "heic":
        return True
    try:
        if file_type == "pdf":
            import pypdfium2

            document = pypdfium2.PdfDocument(data)
            try:
                return len(document) > 0
            finally:
                document.close()
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        return True
    except Exception:  # noqa: BLE001 - any failure to read means the file is not what it claims
        return False


def check_label(label: str) -> str:
    if label not in codes.ATTACHMENT_LABEL:
        raise FieldError("label", "附件类别“{label}”无效，可用：{choices}", label=label,
                         choices=Choices(codes.ATTACHMENT_LABEL))
    return label


def scaled(data: bytes, file_type: str, max_px: int, fmt: str) -> bytes | None:
    """An image upright (as the phone held it) within max_px, as PNG or JPEG; None for PDFs, HEIC and
    images Pillow cannot read (a damaged image keeps its bytes, it only has no picture)."""
    if file_type not in THUMBNAIL_TYPES:
        return None
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as im:
            im.draft("RGB", (max_px * 2, max_px * 2))  # JPEG: decode at a fraction of full size (fast)
            upright = ImageOps.exif_transpose(im)
            upright.thumbnail((max_px, max_px))
            out = io.BytesIO()
            upright.convert("RGB").save(out, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
            return out.getvalue()
    except Exception:
        return None


def thumbnail(data: bytes, file_type: str) -> bytes | None:
    """The strip's small PNG of an image."""
    return scaled(data, file_type, THUMB_PX, "PNG")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# A stored blob starts with a tag naming how it was sealed (AES-GCM with the data key), so a later change
# of cipher can still read what is stored. The associated data binds a blob to what it is: content or
# thumbnail of *this* attachment (its id and case) with that SHA-256. E1 bound only the SHA-256, so the
# sealed chunks of another attachment, moved under this one with its hash and size, opened (issue 29);
# E2 blobs moved to another attachment or case do not open. The chunks are pieces of one AES-GCM message,
# so a chunk moved, dropped or put out of order breaks its tag too. E1 blobs are re-sealed as E2 by
# migration 0019 (or the supervisor's `liaison audit --reseal`) and no longer read.
SEALED = b"E2"
LEGACY = b"E1"


class SealBroken(ValueError):
    """The stored bytes cannot be opened: changed on disk, or sealed with another key."""


def _key(session: Session) -> crypto.DataKey:
    """The data key of personal data (KeyMissing, in Chinese, when this computer does not hold it)."""
    return crypto.attached(session.get_bind())


def encrypt_blob(data: bytes, key: crypto.DataKey, aad: str) -> bytes:
    return SEALED + key.seal(data, aad)


def decrypt_blob(blob: bytes, key: crypto.DataKey, aad: str, tag: bytes = SEALED) -> bytes:
    if bytes(blob[:2]) != tag:
        raise SealBroken("unknown seal")
    try:
        return key.unseal(bytes(blob[2:]), aad)
    except (crypto.KeyMismatch, ValueError):
        raise SealBroken("changed or sealed with another key") from None


def _content_aad(case_id: int, attachment_id: int, digest: str) -> str:
    return f"attachment:{case_id}:{attachment_id}:{digest}"


def _thumbnail_aad(case_id: int, attachment_id: int, digest: str) -> str:
    return f"thumbnail:{case_id}:{attachment_id}:{digest}"


def add(session: Session, case: Case, name: str, data: bytes, label: str, staff: str,
        file_type: str | None = None, thumb: bytes | None = None, make_thumbnail: bool = True) -> Attachment:
    """Store one checked file: its facts in `attachments`, its sealed bytes in 1 MiB chunks."""
    file_type = file_type or check(name, data)
    if thumb is None and make_thumbnail:
        thumb = thumbnail(data, file_type)
    key = _key(session)
    digest = sha256(data)
    att = Attachment(case_id=case.id, name=PurePath(name).name[:255], label=check_label(label), file_type=file_type,
                     size=len(data), sha256=digest, added_at=clock.utcnow(), staff=staff)
    session.add(att)
    session.flush()  # the id is bound into the seal
    if thumb:
        att.thumbnail = encrypt_blob(thumb, key, _thumbnail_aad(case.id, att.id, digest))
    sealed = encrypt_blob(data, key, _content_aad(case.id, att.id, digest))
    session.add_all(AttachmentChunk(attachment_id=att.id, seq=i, data=sealed[start:start + CHUNK])
                    for i, start in enumerate(range(0, len(sealed), CHUNK)))
    return att


def reseal_legacy(conn, key: crypto.DataKey) -> int:
    """Re-seal E1 blobs (bound only to their SHA-256) as E2, each checked first; how many attachments.
    One that does not open under E1 is left as it is, so it is still reported as changed."""
    from sqlalchemy import update

    chunks = AttachmentChunk.__table__
    atts = Attachment.__table__
    done = 0
    for att in conn.execute(select(atts.c.id, atts.c.case_id, atts.c.sha256, atts.c.thumbnail)).all():
        parts = conn.execute(select(chunks.c.seq, chunks.c.data).where(chunks.c.attachment_id == att.id)
                             .order_by(chunks.c.seq)).all()
        blob = b"".join(bytes(p.data) for p in parts)
        if blob[:2] != LEGACY:
            continue
        try:
            data = decrypt_blob(blob, key, f"attachment:{att.sha256}", LEGACY)
        except SealBroken:
            continue
        sealed = encrypt_blob(data, key, _content_aad(att.case_id, att.id, att.sha256))
        conn.execute(chunks.delete().where(chunks.c.attachment_id == att.id))
        conn.execute(chunks.insert(), [{"attachment_id": att.id, "seq": i, "data": sealed[start:start + CHUNK]}
                                       for i, start in enumerate(range(0, len(sealed), CHUNK))])
        thumb = None
        if att.thumbnail and bytes(att.thumbnail[:2]) == LEGACY:
            try:
                plain = decrypt_blob(att.thumbnail, key, f"thumbnail:{att.sha256}", LEGACY)
                thumb = encrypt_blob(plain, key, _thumbnail_aad(att.case_id, att.id, att.sha256))
            except SealBroken:
                pass
        conn.execute(update(atts).where(atts.c.id == att.id).values(thumbnail=thumb))
        done += 1
    return done


def for_case(session: Session, case: Case) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)))


def get(session: Session, case: Case, attachment_id: int) -> Attachment:
    att = session.get(Attachment, attachment_id)
    if att is None or att.case_id != case.id:
        raise FieldError("id", f"案件 {case.case_no} 没有编号为 {attachment_id} 的附件")
    return att


def changed_message(att: Attachment) -> str:
    return (f"附件“{att.name}”（编号 {att.id}）已被改动：内容与登记时的 SHA-256 不符，"
            "请从备份恢复或重新取证")


def read(session: Session, att: Attachment) -> bytes:
    """The original bytes, checked against the hash taken when they were added."""
    sealed = b"".join(session.scalars(select(AttachmentChunk.data).where(AttachmentChunk.attachment_id == att.id)
                                      .order_by(AttachmentChunk.seq)))
    try:
        data = decrypt_blob(sealed, _key(session), _content_aad(att.case_id, att.id, att.sha256))
    except SealBroken:
        raise FieldError("attachment", changed_message(att)) from None
    if sha256(data) != att.sha256:
        raise FieldError("attachment", changed_message(att))
    return data


def read_thumbnail(session: Session, att: Attachment) -> bytes | None:
    if not att.thumbnail:
        return None
    try:
        return decrypt_blob(att.thumbnail, _key(session), _thumbnail_aad(att.case_id, att.id, att.sha256))
    except SealBroken:
        return None


def set_thumbnail(session: Session, attachment_id: int, thumb: bytes) -> None:
    att = session.get(Attachment, attachment_id)
    if att is not None:
        att.thumbnail = encrypt_blob(thumb, _key(session), _thumbnail_aad(att.case_id, att.id, att.sha256))


def intact(session: Session, att: Attachment) -> bool:
    try:
        read(session, att)
    except FieldError:
        return False
    return True


def remove(session: Session, ids: list[int]) -> int:
    """Delete attachments with their bytes and thumbnails; returns how many."""
    if ids:
        session.execute(delete(AttachmentChunk).where(AttachmentChunk.attachment_id.in_(ids)))
        session.execute(delete(Attachment).where(Attachment.id.in_(ids)))
    return len(ids)


def purge(session: Session, case: Case) -> int:
    """Remove every attachment of a case (retention): the bytes, thumbnails and names go."""
    return remove(session, [a.id for a in for_case(session, case)])


def attachment_json(att: Attachment) -> dict:
    return {"id": att.id, "name": att.name, "label": att.label, "sha256": att.sha256, "bytes": att.size,
            "added_at": att.added_at.astimezone(LOCAL_TZ).isoformat(), "staff": att.staff}


def materials(atts: list[Attachment]) -> list[tuple[str, int]]:
    """材料清单: each label with how many pieces, in the order of the label list."""
    counts: dict[str, int] = {}
    for a in atts:
        counts[a.label] = counts.get(a.label, 0) + 1
    return [(codes.ATTACHMENT_LABEL[k], counts[k]) for k in codes.ATTACHMENT_LABEL if k in counts]


def registration_materials(session: Session, case: Case) -> tuple:
    """The 投诉登记表's list of evidence: each attachment's label, type and original file name."""
    from app.printing.registration import Material

    return tuple(Material(codes.label(codes.ATTACHMENT_LABEL, a.label),
                          TYPES[a.file_type][1] if a.file_type in TYPES else a.file_type, a.name)
                 for a in for_case(session, case))


def referral_evidence(session: Session, case: Case, with_images: bool = False):
    """The referral's list of a case's attachments and, `with_images`, its images as printable JPEGs."""
    from app.printing.referral import Evidence

    atts = for_case(session, case)
    listed = tuple(attachment_json(a) | {"label_text": codes.label(codes.ATTACHMENT_LABEL, a.label),
                                         "type_text": TYPES[a.file_type][1] if a.file_type in TYPES else a.file_type}
                   for a in atts)
    images = []
    if with_images:
        for number, a in enumerate(atts, 1):
            if a.file_type in THUMBNAIL_TYPES:
                page = scaled(read(session, a), a.file_type, 1600, "JPEG")  # a printed page
                if page:
                    images.append((number, codes.label(codes.ATTACHMENT_LABEL, a.label), page))
    return Evidence(listed, tuple(images))
