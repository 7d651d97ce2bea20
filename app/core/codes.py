"""Enumerations of the case format: the English code stored and exchanged, the Chinese label shown."""

KIND = {"complaint": "投诉", "consultation": "咨询", "report": "举报"}

CHANNEL = {"visit": "来访", "phone": "电话", "online": "网络", "letter": "信件", "transfer": "转办"}

CONSUMER_GROUP = {"none": "无", "elderly": "老年人", "disabled": "残疾人", "minor": "未成年人", "pregnant": "孕期妇女"}
# 绿色通道: these groups are handled with priority.
PRIORITY_GROUPS = frozenset({"elderly", "disabled", "minor", "pregnant"})

CATEGORY = {
    "appliances": "家用电子电器类",
    "clothing": "服装鞋帽类",
    "daily_goods": "日用商品类",
    "food": "食品类",
    "medical": "医药及医疗用品类",
    "housing": "房屋及建材类",
    "tobacco_alcohol": "烟、酒和饮料类",
    "agricultural": "农用生产资料类",
    "jewelry": "首饰及文体用品类",
    "vehicles": "交通工具类",
    "life_services": "生活及社会服务类",
    "internet": "互联网服务类",
    "renovation_property": "房屋装修及物业服务类",
    "education": "教育培训服务类",
    "culture_sports": "文化、娱乐、体育服务类",
    "sales_services": "销售服务类",
    "telecom": "电信服务类",
    "finance": "金融服务类",
    "insurance": "保险服务类",
    "public_facilities": "公共设施服务类",
    "health": "卫生保健服务类",
    "tourism": "旅游服务类",
    "postal": "邮政业服务类",
    "other": "其他商品及服务",
}

NATURE = {
    "quality": "质量",
    "safety": "安全",
    "price": "价格",
    "metrology": "计量",
    "counterfeit": "假冒",
    "contract": "合同",
    "false_advertising": "虚假宣传",
    "personal_rights": "人格权益",
    "after_sales": "售后服务",
    "other": "其他",
}

PURCHASE_CHANNEL = {
    "store": "实体店",
    "online": "网购",
    "livestream": "直播带货",
    "phone": "电话购物",
    "tv": "电视购物",
    "mail": "邮购",
}

DEMAND = {
    "refund": "退货退款",
    "exchange": "换货",
    "repair": "维修",
    "compensation": "赔偿",
    "apology": "赔礼道歉",
    "other": "其他",
}

STATE = {
    "registered": "登记",
    "accepted": "受理",
    "not_accepted": "不予受理",
    "mediating": "调解中",
    "resolved": "调解成功",
    "failed": "调解不成",
    "terminated": "终止调解",
    "referred": "移送",
    "closed": "办结",
}

# The grounds for not accepting a complaint and for ending mediation are data of each rule set
# (resources/rules/*.json, app/calendar/deadlines.py): an Order No. 20 case has Order No. 20's grounds.


def label(table: dict[str, str], code: str | None) -> str:
    """Chinese label of a code, or the code itself when unknown (never hides data)."""
    if code is None:
        return ""
    return table.get(code, code)


REMEDY = {"refund": "退货退款", "exchange": "换货", "repair": "维修", "compensation": "赔偿", "apology": "赔礼道歉"}

REFERRAL_TARGET = {"council": "区消费者权益保护委员会", "samr": "市场监督管理部门"}

SATISFACTION = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}

MEDIATION_MODE = {"on_site": "现场", "phone": "电话", "video": "视频"}

PARTICIPANT = {"consumer": "消费者", "merchant": "经营者", "staff": "工作人员"}

COMMITMENT = {"quality_safety": "商品质量安全承诺", "no_reason_return": "无理由退货承诺", "advance_payment": "先行赔付承诺"}

# What a piece of evidence kept with a case is (the order of the receipt's 材料清单).
ATTACHMENT_LABEL = {"invoice": "发票", "receipt": "购物小票", "product_photo": "商品照片", "chat": "聊天记录",
                    "other": "其他"}


# The groups of the work list (今日待办), in the order a clerk works through them (app/reports/worklist.py).
WORK_GROUPS = {
    "decision": "待作受理决定",
    "mediation": "调解进行中",
    "notice": "待送达告知书",
    "follow_up": "待回访",
    "consultation": "待答复咨询",
    "merchant_reply": "待经营者答复",
}
# What the case list's state filter adds beside the states: these and the work-list groups.
DUE_FILTERS = {"overdue": "逾期", "soon": "临期", "open": "在办"}
WORK_FILTERS = {**DUE_FILTERS, **WORK_GROUPS}

ROLE = {"staff": "工作人员", "supervisor": "负责人"}  # staff accounts

# Where a canned answer (常用语, app/phrases/) may be inserted: the text box it is offered in.
PHRASE_FOR = {"all": "通用", "answer": "咨询答复", "mediation": "调解记录", "not_accepted": "不予受理说明",
              "follow_up": "回访记录"}
