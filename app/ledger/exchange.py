"""Ledger (台账) import and export: .jsonl, .csv (UTF-8 or GB18030) and .xlsx with Chinese headers.

An import is all or nothing: every row is checked first and every bad row reported with its row
number, field and reason; only a clean file is written, in one transaction.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.calendar import due_dates
from app.calendar.deadlines import WorkCalendar
from app.cases.intake import CaseInput, parse_case
from app.cases.records import (
    PERSONAL_MASKS,
    CaseFilter,
    case_json,
    case_values,
    format_case_no,
    iter_case_records,
    money_text,
    reserve_numbers,
)
from app.core import codes
from app.core.clock import LOCAL_TZ
from app.core.errors import FieldError, InputError
from app.core.progress import Progress
from app.ledger import lenient, spreadsheet_safety, xlsx_stream
from app.merchants import registry
from app.point import settings
from app.staff import audit, facts, identity
from app.storage import bulk
from app.storage.models import Case, CasePhone, Consumer, Event

# Column headers of the ledger template: Chinese label -> field path of the case JSON.
COLUMNS: list[tuple[str, str]] = [
    ("案件编号", "case_no"), ("登记时间", "received_at"), ("类型", "kind"), ("来源", "channel"),
    ("消费者姓名", "consumer.name"), ("消费者电话", "consumer.phone"), ("身份证号", "consumer.id_number"),
    ("消费者地址", "consumer.address"), ("特殊群体", "consumer.group"),
    ("同意向消保委提供个人信息", "consumer.consent_to_share"),
    ("经营者名称", "merchant.name"), ("统一社会信用代码", "merchant.uscc"), ("铺位号", "merchant.shop_no"),
    ("经营者电话", "merchant.phone"), ("经营者地址", "merchant.address"),
    ("投诉类别", "category"), ("投诉性质", "nature"), ("商品或服务", "product"), ("品牌", "brand"),
    ("购买日期", "purchase_date"), ("购买方式", "purchase_channel"), ("购买金额", "amount_paid"),
    ("诉求金额", "amount_claimed"), ("事实", "facts"), ("诉求", "demands"), ("状态", "state"),
    ("受理期限", "acceptance_due"), ("调解期限", "mediation_due"),
    ("挽回经济损失", "amount_recovered"), ("先行赔付金额", "advance_paid"), ("小额快速处理", "fast_track"),
]
HEADER_TO_FIELD = {label: path for label, path in COLUMNS} | {path: path for _label, path in COLUMNS}
IMPORT_SKIPS = {"case_no", "acceptance_due", "mediation_due"}  # filled by the system
CODE_TABLES = {"kind": codes.KIND, "channel": codes.CHANNEL, "consumer.group": codes.CONSUMER_GROUP,
               "category": codes.CATEGORY, "nature": codes.NATURE, "purchase_channel": codes.PURCHASE_CHANNEL,
               "state": codes.STATE}
YES = {"是", "true", "1", "yes", "y", "同意", "√"}
NO = {"否", "false", "0", "no", "n", "不同意", ""}


@dataclass
class RowError:
    row: int  # 1-based line (jsonl) or spreadsheet row, the header being row 1
    field: str
    message: str  # as the command prints it (codes)
    shown: str = ""  # as the window shows it (labels), where it differs

    def __str__(self) -> str:
        return f"第{self.row}行【{self.field}】{self.message}"


class ImportRejected(InputError):
    def __init__(self, rows: list[RowError]):
        self.rows = rows
        super().__init__([FieldError(f"第{r.row}行 {r.field}", r.message) for r in rows])


DATE_FIELDS = {"received_at", "purchase_date"}
MONEY_FIELDS = {"amount_paid", "amount_claimed", "amount_recovered", "advance_paid"}
EXAMPLE_MARK = "示例"  # the template's example row carries this as its case number; the import skips it


def _set(target: dict, path: str, value) -> None:
    if "." in path:
        head, tail = path.split(".", 1)
        target.setdefault(head, {})[tail] = value
    else:
        target[path] = value


def _cell(value) -> str:
    if value.__class__ is str:  # most cells
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def row_to_case(header: list[str], paths: list[str | None], values: list) -> dict:
    """One spreadsheet row (Chinese or code headers, labels or codes as values) as case JSON; `paths` holds
    each header's case field (HEADER_TO_FIELD), looked up once for the file."""
    data: dict = {}
    for name, path, raw in zip(header, paths, values, strict=False):
        if raw is None:
            continue  # an empty cell says nothing
        text = spreadsheet_safety.unquote(_cell(raw))
        if path is None:
            if text:
                data[name.strip()] = text  # unknown column with content: reported by validation
            continue
        if path in IMPORT_SKIPS or text == "":
            continue
        if path in CODE_TABLES:
            _set(data, path, lenient.code(CODE_TABLES[path], text))
        elif path == "demands":
            _set(data, path, lenient.demands_text(text))
        elif path in DATE_FIELDS:
            _set(data, path, lenient.date_text(text))
        elif path in MONEY_FIELDS:
            _set(data, path, lenient.money_text(text))
        elif path in ("consumer.consent_to_share", "fast_track"):
            low = text.lower()
            _set(data, path, True if low in YES else False if low in NO else text)
        else:
            _set(data, path, text)
    return data


MAX_ERRORS = 1000  # a file of bad rows is reported up to here, then reading stops
MAX_LINE = 1 << 20  # one .jsonl case is far smaller; a longer line is refused, not loaded
MAX_DEPTH = 20
# What an export writes besides the case fields: filled by the system, so an import skips them.
EXPORT_ONLY = {"case_no", "acceptance_due", "mediation_due", "owner", "rule_set", "priority", "outcome",
               "paused_since", "advance", "follow_up", "notice", "events", "deadlines", "referral_reason",
               "answer"}


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def _reject_constant(name):
    raise ValueError(f"不支持的数值 {name}")


def _depth(value, limit: int = MAX_DEPTH) -> int:
    """How deep a JSON value nests (a value in the top object is at depth 2), counted a level at a time
    and stopping past `limit`."""
    level, depth = [value], 0
    while level:
        depth += 1
        if depth > limit:
            return depth
        level = [child for item in level if isinstance(item, (dict, list))
                 for child in (item.values() if isinstance(item, dict) else item)]
    return depth


def parse_json_case(text: str) -> dict:
    """One case from JSON text; FieldError naming the problem for anything that is not a plain object."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except _DuplicateKey as e:
        raise FieldError(str(e.args[0])[:50], "字段重复出现，请只保留一个") from None
    except json.JSONDecodeError as e:
        raise FieldError("row", f"不是有效的 JSON（第{e.lineno}行第{e.colno}列）：{e.msg}") from None
    except RecursionError:
        raise FieldError("row", f"JSON 嵌套过深（最多 {MAX_DEPTH} 层）") from None
    except ValueError as e:  # integers of thousands of digits, NaN, Infinity
        raise FieldError("row", f"JSON 中有无法使用的数值：{str(e)[:80]}") from None
    if not isinstance(data, dict):
        raise FieldError("row", "每行应为一个案件 JSON 对象（{…}）")
    if _depth(data) > MAX_DEPTH:
        raise FieldError("row", f"JSON 嵌套过深（最多 {MAX_DEPTH} 层）")
    return data


def _from_export(data: dict) -> dict:
    """A case as our own export wrote it: drop what the system fills in; masked personal data stays out."""
    data = {k: v for k, v in data.items() if k not in EXPORT_ONLY}
    consumer = data.get("consumer")
    if isinstance(consumer, dict):
        data["consumer"] = {k: v for k, v in consumer.items() if not (isinstance(v, str) and "*" in v)}
    return data


def check_file(path: Path) -> Path:
    """A regular file we can read: never a folder, a FIFO (which would block), a device or a symlink loop."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise FieldError("file", f"找不到文件“{path}”") from None
    except OSError as e:
        raise FieldError("file", f"无法读取“{path}”：{e.strerror or e}") from None
    import stat as stat_mod

    if stat_mod.S_ISDIR(st.st_mode):
        raise FieldError("file", f"“{path}”是文件夹，请选择台账文件")
    if not stat_mod.S_ISREG(st.st_mode):
        raise FieldError("file", f"“{path}”不是普通文件（管道或设备不能导入）")
    return path


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict]]:
    with open(path, "rb") as fh:
        n = 0
        while True:
            line = fh.readline(MAX_LINE + 1)
            if not line:
                return
            n += 1
            if len(line) > MAX_LINE and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # skip the rest of the over-long line
                    line = fh.readline(MAX_LINE)
                yield n, {"__error__": f"该行超过 {MAX_LINE // 1024} KB，不像一个案件"}
                continue
            if n == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as e:
                yield n, {"__error__": f"不是 UTF-8 文本（第{e.start + 1}个字节）"}
                continue
            if not text.strip():
                continue
            try:
                yield n, _from_export(parse_json_case(text))
            except FieldError as e:
                yield n, {"__error__": e.message, "__field__": e.field}


def _csv_encoding(path: Path) -> str:
    import codecs

    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"  # Excel on Chinese Windows saves CSV this way


def _table_rows(path: Path, suffix: str) -> Iterator[list]:
    if suffix == ".csv":
        encoding = _csv_encoding(path)
        with open(path, encoding=encoding, newline="") as fh:
            try:
                yield from csv.reader(fh)
            except UnicodeDecodeError:
                raise FieldError("file", f"文件不是 {encoding.upper()} 文本，请另存为 UTF-8 的 CSV") from None
            except csv.Error as e:
                raise FieldError("file", f"CSV 格式错误：{e}") from None
        return
    from app.ledger import xlsx_read

    try:
        yield from xlsx_read.rows(path)  # openpyxl's values, read twice as fast (app/ledger/xlsx_read.py)
    except (xlsx_read.XlsxError, KeyError, IndexError, ValueError, OSError, TypeError) as e:
        raise FieldError("file", f"不是有效的 .xlsx 文件（{type(e).__name__}）") from None


def iter_rows(path: Path) -> Iterator[tuple[int, dict]]:
    """(row number, case JSON) for every non-empty row of a ledger file, read as a stream."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".csv", ".xlsx"):
        raise FieldError("file", "只能导入 .xlsx、.csv 或 .jsonl 文件")
    check_file(path)
    if suffix == ".jsonl":
        yield from _jsonl_rows(path)
        return
    rows = _table_rows(path, suffix)
    header_row = next(rows, None)
    if header_row is None:
        return
    header = [_cell(h) for h in header_row]
    paths = [HEADER_TO_FIELD.get(name.strip()) for name in header]
    case_no_col = next((i for i, h in enumerate(header) if HEADER_TO_FIELD.get(h) == "case_no"), None)
    for n, r in enumerate(rows, 2):
        if case_no_col is not None and case_no_col < len(r) and _cell(r[case_no_col]) == EXAMPLE_MARK:
            continue  # the template's example row
        if any(_cell(v) for v in r):
            yield n, row_to_case(header, paths, r)


def read_rows(path: Path) -> list[tuple[int, dict]]:
    return list(iter_rows(path))


def check(rows: Iterable[tuple[int, dict]], max_errors: int = MAX_ERRORS
          ) -> tuple[list[tuple[int, CaseInput]], list[RowError]]:
    """Validate rows as they are read; stops after `max_errors` errors (the rest is not read)."""
    parsed, errors = [], []
    for n, data in rows:
        if "__error__" in data:
            errors.append(RowError(n, data.get("__field__", "row"), data["__error__"]))
        else:
            try:
                parsed.append((n, parse_case(data, historical=True)))
            except InputError as e:
                errors.extend(RowError(n, err.field, err.message, err.text(window=True)) for err in e.errors)
        if len(errors) >= max_errors:
            del errors[max_errors:]
            errors.append(RowError(n, "file", f"错误已达 {max_errors} 处，其余行未检查"))
            break
    return parsed, errors


BATCH = 5000  # rows checked and inserted at a time (each batch reserves numbers once for each of its days)


def estimate_rows(path: Path) -> int | None:
    """About how many data rows a ledger file has, cheaply (for progress and the bulk-load choice)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".csv"):
            with path.open("rb") as fh:
                return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
                           - (suffix == ".csv"))
        if suffix == ".xlsx":
            from app.ledger import xlsx_read

            return xlsx_read.estimate_rows(path)
    except Exception:  # only an estimate: the reading proper says what is wrong with the file
        return None
    return None


def import_rows(session: Session, rows: Iterable[tuple[int, dict]], cal: WorkCalendar, source: str = "",
                expected: int | None = None, progress: Progress | None = None) -> list[str]:
    """Check every row and write the clean ones in batches, in the caller's one transaction.

    All or nothing: the first bad row stops the writing (rows are still checked, so every bad row
    is reported), and ImportRejected rolls the transaction back. Numbers are given per day in order
    of receipt within each batch, continuing the day's numbering. Memory stays flat: a batch at a time.
    The member signed in is the actor.
    """
    actor = identity.actor(session)
    progress = progress or Progress()
    prefix = settings.get(session, "point.code")
    threshold = settings.fast_track_threshold(session)
    writer = _BatchWriter(session, cal, actor, prefix, threshold)
    errors: list[RowError] = []
    batch: list[CaseInput] = []
    merchant_check = _MerchantCheck(session)
    seen = 0
    with bulk.loading(session, expected or 0):
        for n, data in rows:
            seen += 1
            if "__error__" in data:
                errors.append(RowError(n, data.get("__field__", "row"), data["__error__"]))
            else:
                try:
                    parsed = parse_case(data, historical=True)
                except InputError as e:
                    errors.extend(RowError(n, err.field, err.message, err.text(window=True)) for err in e.errors)
                else:
                    clash = merchant_check.row(parsed.merchant)
                    if clash:
                        errors.append(RowError(n, clash[0], clash[1]))
                    elif not errors:
                        batch.append(parsed)
            if len(batch) >= BATCH:
                writer.write(batch)
                batch = []
            if len(errors) >= MAX_ERRORS:
                del errors[MAX_ERRORS:]
                errors.append(RowError(n, "file", f"错误已达 {MAX_ERRORS} 处，其余行未检查"))
                break
            if seen % 500 == 0:
                progress.update(seen, expected, "正在导入台账…")
        if errors:
            raise ImportRejected(errors)
        writer.write(batch)
        if not writer.numbers:
            raise FieldError("file", "文件中没有案件")
    progress.update(seen, seen, "正在导入台账…")
    audit.record(session, "import", detail=f"自台账导入 {len(writer.numbers)} 件" + (f"：{source}" if source else ""))
    return writer.numbers


class _MerchantCheck:
    """An import row whose USCC and name disagree with the registry, or with an earlier row of the same
    file, is a reported error: nothing is re-attributed silently."""

    def __init__(self, session: Session):
        self.session = session
        self.by_code: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        self.known: set[tuple[str, str]] = set()

    def row(self, m) -> tuple[str, str] | None:
        if not (m.uscc and m.name) or (m.uscc, m.name) in self.known:
            return None
        found = registry.conflict(self.session, m)
        if found is not None:
            return found.field, found.message
        name = self.by_code.get(m.uscc)
        if name is not None and not registry.same_name(name, m.name):
            return "merchant.uscc", f"统一社会信用代码 {m.uscc} 在前面的行中是“{name}”，与本行的名称“{m.name}”不符"
        code = self.by_name.get(m.name)
        if code is not None and code != m.uscc:
            return "merchant.name", f"名称“{m.name}”在前面的行中的统一社会信用代码为 {code}，与本行的 {m.uscc} 不符"
        self.by_code.setdefault(m.uscc, m.name)
        self.by_name.setdefault(m.name, m.uscc)
        self.known.add((m.uscc, m.name))
        return None


_UNSET = {"accepted_on": None, "outcome_on": None, "notice_due": None}  # what a new Case holds when not given


class _BatchWriter:
    """Inserts checked cases with Core statements (consumers, cases, events, phones) a batch at a time."""

    def __init__(self, session: Session, cal: WorkCalendar, actor: str, prefix: str, threshold):
        self.session, self.cal, self.actor, self.prefix, self.threshold = session, cal, actor, prefix, threshold
        self.merchants: dict[tuple[str, str], tuple[int | None, str]] = {}
        self.numbers: list[str] = []
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.follow_up_days = int(settings.get(session, "deadline.follow_up_days"))
        self.index = bulk.consumer_indexer(session)

    def _numbers(self, batch: list[CaseInput]) -> list[str]:
        """The batch's case numbers (the batch in order of receipt). Each day's numbers are reserved in
        one step (cases.reserve_numbers), the day counters taken in date order after the merchants, as a
        desk takes them: an import racing desks on PostgreSQL gets no duplicate number and no deadlock."""
        next_seq = {day: reserve_numbers(self.session, day, n)
                    for day, n in sorted(Counter(c.received_day for c in batch).items())}
        out = []
        for data in batch:
            out.append(format_case_no(data.received_day, next_seq[data.received_day], self.prefix))
            next_seq[data.received_day] += 1
        return out

    def _merchant(self, data: CaseInput) -> tuple[int | None, str]:
        key = (data.merchant.uscc, data.merchant.name)
        if key not in self.merchants:
            m = registry.find_or_create(self.session, data.merchant)
            self.merchants[key] = (m.id, m.phone) if m else (None, "")
        return self.merchants[key]

    def write(self, batch: list[CaseInput]) -> None:
        if not batch:
            return
        from app.merchants import scam_watch

        batch = sorted(batch, key=lambda c: c.received_at)
        for data in sorted(batch, key=lambda c: (c.merchant.uscc, c.merchant.name)):
            self._merchant(data)  # merchants first, then the day counters
        numbers = self._numbers(batch)
        conn = self.session.connection()
        consumers, case_rows, phones = [], [], []
        for data, number in zip(batch, numbers, strict=True):
            merchant_id, merchant_phone = self._merchant(data)
            consumer, case = case_values(data, number, merchant_id, self.cal, self.threshold, self.actor)
            # app.due_dates works the due dates out, as for a case typed in (from the row's values: an ORM
            # Case made for it cost a fifth of the import)
            case.update(due_dates.due_dates(SimpleNamespace(**{**_UNSET, **case}), self.cal, self.follow_up_days))
            self.index(consumer)
            consumers.append(consumer)
            case_rows.append(case)
            phones.append(scam_watch.numbers_in(data.facts, merchant_phone))
            self.numbers.append(number)
        if self.sqlite:  # the write lock is ours: ids can be given here, and executemany stays fast
            first_consumer = (conn.scalar(select(func.max(Consumer.id))) or 0) + 1
            first_case = (conn.scalar(select(func.max(Case.id))) or 0) + 1
            for i, (consumer, case) in enumerate(zip(consumers, case_rows, strict=True)):
                consumer["id"], case["id"], case["consumer_id"] = first_consumer + i, first_case + i, first_consumer + i
            conn.execute(insert(Consumer), consumers)
            conn.execute(insert(Case), facts.seal_rows(conn, case_rows))
            ids = [c["id"] for c in case_rows]
        else:  # ids from the database (RETURNING), so PostgreSQL's sequences stay right
            consumer_ids = conn.scalars(insert(Consumer).returning(Consumer.id, sort_by_parameter_order=True),
                                        consumers).all()
            for case, consumer_id in zip(case_rows, consumer_ids, strict=True):
                case["consumer_id"] = consumer_id
            ids = list(conn.scalars(insert(Case).returning(Case.id, sort_by_parameter_order=True),
                                    facts.seal_rows(conn, case_rows)).all())
        conn.execute(insert(Event), [
            {"case_id": case_id, "at": c["received_at"], "actor": self.actor, "action": "import", "from_state": None,
             "to_state": c["state"], "reason_code": "",
             "note": "自台账导入" + ("" if c["state"] == "registered" else f"（原状态：{codes.STATE[c['state']]}）")}
            for case_id, c in zip(ids, case_rows, strict=True)])
        links = [{"case_id": case_id, "number": number} for case_id, found in zip(ids, phones, strict=True)
                 for number in sorted(found)]
        if links:
            conn.execute(insert(CasePhone), links)


# --- export --------------------------------------------------------------------------------------

# The case fields the ledger's columns show (a table export reads no others).
TABLE_FIELDS = tuple(path for _label, path in COLUMNS if "." not in path)


def export_records(session: Session, f: CaseFilter, table: bool) -> Iterator:
    """Cases for export, oldest first, read a page at a time (records of cases.iter_case_records):
    with `table` only what the ledger's columns show, else all the case JSON holds."""
    return iter_case_records(session, f, order="received_at", descending=False, fields=TABLE_FIELDS if table else ())


def shows_personal_data(case, full: bool) -> bool:
    """An export carries personal data in full only when asked and only for a consenting consumer."""
    return full and case.consumer.consent_to_share


def _cell_text(value) -> str:
    """A record's value as case_json writes it, for a table cell."""
    if value is None:
        return ""
    if value.__class__ is str:
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.astimezone(LOCAL_TZ).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return money_text(value)
    return str(value)


def _reader(path: str, full: bool):
    """A function giving one column's cell text from a case record: the text the case's JSON holds
    at `path`, labelled. Made once per column and read straight from the record, because building
    the JSON of every case took 4 of an export's 16 s at 100k cases."""
    head, _, tail = path.partition(".")
    table = CODE_TABLES.get(path)
    if head == "consumer" and tail in PERSONAL_MASKS:
        mask = PERSONAL_MASKS[tail]
        return lambda r: (getattr(r.consumer, tail) if shows_personal_data(r, full)
                          else mask(getattr(r.consumer, tail)))
    if head == "merchant":
        return lambda r: _cell_text(getattr(r.merchant, tail)) if r.merchant is not None else ""
    if path == "demands":
        return lambda r: "、".join(codes.label(codes.DEMAND, d) for d in r.demands.split(",") if d)
    get = (lambda r: getattr(r.consumer, tail)) if head == "consumer" else attrgetter(path)
    if table is not None:
        return lambda r: codes.label(table, get(r))
    return lambda r: _cell_text(get(r))


def write(path: Path, records: Iterable, full: bool = False, progress: Progress | None = None,
          total: int | None = None) -> int:
    """Case records to a file as they come (memory stays flat): .jsonl holds each case's JSON, .xlsx
    and .csv the ledger's columns. Returns how many were written."""
    progress = progress or Progress()
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".csv", ".xlsx"):
        raise FieldError("file", "只能导出为 .xlsx、.csv 或 .jsonl 文件")
    count = 0

    def counted(items):
        nonlocal count
        for item in items:
            yield item
            count += 1
            if count % 1000 == 0:
                progress.update(count, total, "正在导出…")

    if suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for c in counted(records):
                fh.write(json.dumps(case_json(c, full=shows_personal_data(c, full)), ensure_ascii=False) + "\n")
        return count
    header = [label for label, _ in COLUMNS]
    readers = [_reader(p, full) for _, p in COLUMNS]
    body = ([read(c) for read in readers] for c in counted(records))
    write_table(path, header, body, "台账")
    return count


def write_table(path: Path, header: list[str], rows: Iterable[list], sheet: str) -> None:
    """A table to .csv or .xlsx as the rows come (memory stays flat); formula-like text stays text
    (spreadsheet_safety in .csv; every .xlsx text cell is a string cell)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise FieldError("file", "只能导出为 .xlsx 或 .csv 文件")
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:  # the BOM makes Excel read UTF-8
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows([spreadsheet_safety.csv_cell(v) for v in row] for row in rows)
        return
    xlsx_stream.write(path, header, rows, sheet)
