"""What the shop floor asks of the ledger: what to reorder from whom, what the stock is worth at cost, and
which goods to sell first before their best-before date.

The reorder rule, in words a volunteer can check: the sales rate is what sold (less refunds) over the last
`weeks` weeks; what will sell before a delivery comes is that rate over the supplier's lead days. A product
is listed when what is on hand, less what will sell before the delivery, is at or below its reorder level
(a product with no level set is listed only once it is expected to run out). The quantity suggested brings it
back to the level plus two weeks' sales after the delivery. On hand is the society's across its tills
(inventory/stock.py); the sales rate is this till's own (the office's copy has every till's).
"""

from __future__ import annotations

from datetime import date, timedelta
from math import ceil

from pydantic import BaseModel
from sqlite_utils import Database

from inventory.stock import Stock, on_hand_table

#: Sales looked back over for the rate, and the weeks' sales a suggested order covers after it comes.
RATE_WEEKS = 4
COVER_DAYS = 14


class ReorderLine(BaseModel):
    product_id: int
    name: str
    supplier_id: int | None
    supplier: str
    on_hand: int
    reorder_level: int | None
    sold: int
    weeks: int
    lead_days: int
    cost_pence: int | None
    order: int

    @property
    def weekly_rate(self) -> float:
        return self.sold / self.weeks


def _since(today: date, days: int) -> str:
    return (today - timedelta(days=days)).isoformat()


def reorder_list(db: Database, *, today: date, supplier_id: int | None = None, weeks: int = RATE_WEEKS,
                 no_supplier_lead_days: int = 7) -> list[ReorderLine]:
    """What to order now, by supplier then product; `supplier_id` for one supplier's list."""
    rows = db.execute(
        f"""select p.id, p.name, s.id, coalesce(s.name, ''), coalesce(m.on_hand, 0), p.reorder_level,
                  coalesce(d.sold, 0), coalesce(s.lead_days, ?), ps.cost_pence
           from products p
           left join product_supply ps on ps.product_id = p.id
           left join suppliers s on s.id = ps.supplier_id
           left join {on_hand_table(db)} m on m.product_id = p.id
           left join (select product_id, -sum(quantity) as sold from stock_movements
                      where kind in ('sale', 'refund') and created_at >= ? group by product_id) d
             on d.product_id = p.id
           where p.stock_tracked = 1 and p.active = 1 and (? is null or ps.supplier_id = ?)
           order by coalesce(s.name, '~'), p.name""",
        [no_supplier_lead_days, _since(today, weeks * 7), supplier_id, supplier_id]).fetchall()
    days = weeks * 7
    found = []
    for pid, name, sid, supplier, on_hand, level, sold, lead, cost in rows:
        sold = max(sold, 0)
        before = ceil(sold * lead / days)
        floor = level if level is not None else 0
        if level is None and sold == 0:
            continue
        if on_hand - before > floor:
            continue
        order = max(1, floor + before + ceil(sold * COVER_DAYS / days) - on_hand)
        found.append(ReorderLine(product_id=pid, name=name, supplier_id=sid, supplier=supplier or "no supplier set",
                                 on_hand=on_hand, reorder_level=level, sold=sold, weeks=weeks, lead_days=lead,
                                 cost_pence=cost, order=order))
    return found


class StockValue(BaseModel):
    value_pence: int
    valued: int
    without_cost: int


def stock_value(db: Database) -> StockValue:
    """Stock on hand at cost, over products on sale with stock above nought."""
    value, valued, without = db.execute(
        f"""select coalesce(sum(m.on_hand * ps.cost_pence), 0), count(ps.cost_pence),
                  sum(ps.cost_pence is null)
           from products p
           join {on_hand_table(db)} m on m.product_id = p.id
           left join product_supply ps on ps.product_id = p.id
           where p.stock_tracked = 1 and p.active = 1 and m.on_hand > 0""").fetchone()
    return StockValue(value_pence=value, valued=valued, without_cost=without or 0)


class UseFirst(BaseModel):
    product_id: int
    name: str
    best_before: date
    quantity: int
    past: bool


def use_first(db: Database, *, today: date, within_days: int = 3) -> list[UseFirst]:
    """Goods still on hand whose best-before is past or within `within_days`, soonest first. What is on hand is
    taken to be from the newest goods in (older stock sells first), so only the older deliveries' dates show."""
    horizon = (today + timedelta(days=within_days)).isoformat()
    candidates = db.execute(
        """select distinct l.product_id from delivery_lines l join deliveries d on d.id = l.delivery_id
           where l.best_before <= ? and l.quantity > 0 and d.reverses is null
             and not exists (select 1 from deliveries r where r.reverses = d.id)""", [horizon]).fetchall()
    found = []
    for (product_id,) in candidates:
        name = db.execute("select name from products where id = ?", [product_id]).fetchone()[0]
        # The society's stock, walked down this till's own goods in: another till's delivery has no date here.
        left = Stock(db).on_hand(product_id)
        # Every goods in, newest first: stock received without a delivery has no date, but is still newer.
        lines = db.execute(
            """select m.quantity, l.best_before from stock_movements m
               left join delivery_lines l on l.movement_id = m.id
               left join deliveries d on d.id = l.delivery_id
               where m.product_id = ? and m.kind = 'goods_in' and m.quantity > 0
                 and (d.id is null or not exists (select 1 from deliveries r where r.reverses = d.id))
               order by m.created_at desc, m.id desc""", [product_id]).fetchall()
        for quantity, best_before in lines:
            if left <= 0:
                break
            here = min(quantity, left)
            left -= here
            if best_before is not None and best_before <= horizon:
                day = date.fromisoformat(best_before)
                found.append(UseFirst(product_id=product_id, name=name, best_before=day, quantity=here,
                                      past=day < today))
    return sorted(found, key=lambda u: (u.best_before, u.name))
