"""Hard documents for the printing checks: ~3,000-character facts, long names and addresses, every kind."""
from __future__ import annotations

from tests.conftest import complaint

# plainly fictitious; runs of punctuation, 《》, “”, Latin words, numbers, a phone number and a URL
_SENTENCES = [
    "2026年10月3日，我在测试商城三楼的“超级旗舰体验店”购买了一台Smart Kettle Pro Max电热水壶（型号KX-2026A），"
    "标价¥1,299.00元，实付¥1,099.00元。",
    "店员当场承诺：“七天无理由退货，一年只换不修！！！”并出具了《商品保修卡》和《购物小票》——可是到家后第三天……",
    "底座开始冒烟，家里的空气开关跳闸两次；我立即拔掉插头，拍了照片和视频（共12张、3段）。",
    "我按保修卡上的客服电话400-800-1234和13900001234联系，对方说要到官网https://kettle.example.com/service登记，"
    "登记后一直显示“处理中”？？？",
    "10月9日我再次到店，经营者以“人为损坏”为由拒绝退货，只同意收取¥300.00元检测费后维修。",
    "依据《中华人民共和国消费者权益保护法》第二十四条、《中华人民共和国产品质量法》第四十条，我认为商品存在质量问题……",
    "另外，店员还推荐我办理了“尊享VIP会员卡”，预存¥2,000.00元，说可以“打八折、送积分、免费保养”；",
    "现在店家说会员卡只能在“指定门店”使用，而该门店已于11月1日停业——我的预付款怎么办？",
    "我多次拨打客服热线（021-61671254转8001），均被告知“系统升级中，请稍后再试”！",
    "请联络点帮助我：一、退还货款¥1,099.00元；二、退还会员卡余额；三、赔偿误工费、交通费等损失。",
]


def long_facts(target: int = 3000) -> str:
    out, i = "", 0
    while len(out) < target:
        out += _SENTENCES[i % len(_SENTENCES)]
        i += 1
    return out


LONG_MERCHANT = "测试市测试区超级无敌宇宙第一旗舰体验店暨全国连锁电器销售与售后服务有限责任公司测试商城分公司（虚构）"
LONG_ADDRESS = "测试市测试区测试街道幸福路1888弄88号测试商城B座地下一层至地上五层之间的第三层东侧302-305室（虚构）"


def hard_complaint(**overrides) -> dict:
    data = complaint(
        consumer={"name": "欧阳丽娜", "address": LONG_ADDRESS, "consent_to_share": True},
        merchant={"name": LONG_MERCHANT, "shop_no": "B3-302至B3-305", "uscc": "91310105MA1FL00004",
                  "phone": "021-61671254"},
        product="Smart Kettle Pro Max 电热水壶", brand="KettleStar（测试牌）", amount_paid="193657.00",
        amount_claimed="193657.00", facts=long_facts())
    data.update(overrides)
    return data


DECIDED = "2026-11-20T10:00:00+08:00"


def hard_cases(desk) -> dict[str, str]:
    """One case for each document kind, decided on 2026-11-20 (days before any test prints it)."""
    received = "2026-11-16T09:30:00+08:00"
    made = {}
    for name in ("receipt", "not_accepted", "agreement", "terminated", "failed", "council", "samr"):
        made[name] = desk.cases.add(hard_complaint(received_at=received))["case_no"]
    desk.cases.move(made["not_accepted"], "not_accepted", reason_code="already_handled",
              reason="消费者已就同一争议向人民法院起诉（案号（2026）测0101民初12345号）", at=DECIDED)
    for name in ("agreement", "terminated", "failed", "council", "samr"):
        desk.cases.move(made[name], "accepted", at="2026-11-17T10:00:00+08:00")
    desk.cases.mediate(made["agreement"], "on_site", ["consumer", "merchant", "staff"], "退款并赔偿", "同意",
                       at="2026-11-19T10:00:00+08:00")
    desk.cases.move(made["agreement"], "resolved", at=DECIDED, remedies=["refund", "compensation"],
              amount_recovered="11798",
              terms="经营者于2026年11月27日前一次性退还货款¥1,099.00元、退还会员卡余额¥2,000.00元，"
                    "并赔偿交通费、误工费等损失共计¥8,699.00元，合计¥11,798.00元；消费者同时退回电热水壶一台及全部配件。")
    desk.cases.move(made["terminated"], "mediating", at="2026-11-18T10:00:00+08:00")
    desk.cases.move(made["terminated"], "terminated", reason_code="absent_or_refused", reason="经营者两次未到场", at=DECIDED)
    desk.cases.move(made["failed"], "mediating", at="2026-11-18T10:00:00+08:00")
    desk.cases.move(made["failed"], "failed", reason="双方对赔偿金额分歧较大", at=DECIDED)
    desk.cases.move(made["council"], "referred", referred_to="council", reason="涉及预付卡跨店使用，需消保委协调",
              at=DECIDED)
    desk.cases.move(made["samr"], "referred", referred_to="samr", reason="涉嫌产品质量违法，请依法查处", at=DECIDED)
    return made
