"""canned answers (常用语): the phrases staff insert into answers, mediation records and notes, with a starter set

Revision ID: 0021
Revises: 0020

A phrase is a short title to find it by (e.g. 七日), its text, and where it applies (all, answer, mediation,
not_accepted, follow_up; app/core/codes.py PHRASE_FOR). The starter set covers the questions a front desk
hears most. It is written in plain words; where it names the law it names what the current
《消费者权益保护法》 (2013 revision) says in that article, in the desk's own words where not quoted. A point
edits or removes any of them (管理 ▸ 常用语, a supervisor; `liaison phrases`).
"""
import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

# Kept here as it was when written: later changes to app/ must not change what this migration did.
STARTER = [
    ("七日", "answer",
     "根据《消费者权益保护法》第二十五条，经营者采用网络、电视、电话、邮购等方式销售商品，消费者有权自收到商品之日起"
     "七日内退货，且无需说明理由；消费者定作的、鲜活易腐的、在线下载或者消费者拆封的音像制品和计算机软件等数字化商品、"
     "交付的报纸和期刊，以及购买时经消费者确认不宜退货的商品除外。退回的商品应当完好，经营者应当自收到退回商品之日起"
     "七日内返还商品价款，退回商品的运费由消费者承担（另有约定的按约定）。在实体店购买的商品不适用法定的七日无理由退货，"
     "商家承诺无理由退货的，按其承诺办理。"),
    ("三包", "answer",
     "商品不符合质量要求的，根据《消费者权益保护法》第二十四条，消费者可以依照国家规定、当事人约定退货，或者要求经营者"
     "履行更换、修理等义务；没有国家规定和当事人约定的，可以自收到商品之日起七日内退货，七日后符合法定解除合同条件的"
     "可以及时退货，不符合的可以要求更换、修理。退货、更换、修理的运输等必要费用由经营者承担。请保留发票或购物小票、"
     "保修卡，以及故障照片和维修记录，先与经营者协商；协商不成的，可以在本联络点登记投诉。"),
    ("预付卡", "answer",
     "办卡、充值后经营者未按约定提供商品或服务的，根据《消费者权益保护法》第五十三条，消费者可以要求经营者按约定履行，"
     "或者退回预付款，并承担预付款的利息和消费者必须支付的合理费用。请带上合同或办卡凭证、付款记录、消费记录和余额"
     "截图，先与经营者协商；协商不成的可以在本联络点登记投诉。经营者已关门、联系不上的，请尽快投诉，涉嫌诈骗的向公安机关报案。"),
    ("假客服", "answer",
     "网上搜到的“官方售后”“全国统一客服”电话不一定是品牌官方的，冒充厂家的维修平台上门后乱报价、收费后无人负责的情况较多。"
     "请以产品说明书、保修卡、包装或机身铭牌上印的客服电话为准，或在品牌官方网站、官方认证的公众号和小程序里查询。"
     "已经付款的，请保存通话记录、付款凭证、维修单和聊天记录，到本联络点或拨打12315投诉；涉嫌诈骗的，拨打110报警。"),
    ("食品标签", "answer",
     "预包装食品的标签应当标明名称、规格、净含量、生产日期、保质期、配料表、生产者的名称地址和联系方式、贮存条件、"
     "生产许可证编号等内容。发现标签缺项、过期或与实物不符的，请保留商品原包装、购物小票和照片，先与经营者协商；"
     "协商不成的可以在本联络点登记投诉；涉及食品安全的，也可以向市场监督管理部门举报（12315）。"),
    ("已联系", "mediation",
     "已电话联系经营者，告知消费者的投诉事项和诉求，经营者表示将核实情况，于____前答复。"),
    ("方案", "mediation",
     "经调解，经营者同意________，消费者表示接受。双方约定于____前履行完毕。"),
    ("不受理", "not_accepted",
     "经审查，该投诉不属于本联络点受理的范围。根据《消费者权益保护法》第三十九条，您可以通过下列途径解决：与经营者协商和解；请求消费者协会或者依法成立的"
     "其他调解组织调解；向有关行政部门投诉（可拨打12315）；根据与经营者达成的仲裁协议提请仲裁机构仲裁；向人民法院提起诉讼。"),
    ("回访满意", "follow_up",
     "电话回访消费者，经营者已按调解结果履行，消费者对处理结果表示满意。"),
    ("回访未果", "follow_up",
     "电话回访，消费者未接听。已于当日再次拨打，仍未接通，拟另行回访。"),
]


def upgrade() -> None:
    table = op.create_table(
        "phrases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("applies_to", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("title"),
    )
    op.bulk_insert(table, [{"title": t, "applies_to": where, "body": body} for t, where, body in STARTER])


def downgrade() -> None:
    op.drop_table("phrases")
