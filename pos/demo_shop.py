"""The demo shop: a café menu, shop shelves, made-up volunteers and their PINs, a service directory and a rota.

Everything here is made up; `create_shop` puts it in a database, `give_demo_pins` gives the
volunteers the PINs the demo sign-in screen shows. pos/demo_trade.py then trades in it.
"""

from __future__ import annotations

from sqlite_utils import Database

from core.database import transaction
from inventory.barcodes import with_check_digit
from inventory.products import Catalogue, ProductDetails, VatClass
from pos.till import Till
from volunteers.people import Role, Volunteers

Z, R, S, X = VatClass.zero, VatClass.reduced, VatClass.standard, VatClass.exempt

# name, category, price (pence), code, vat class, flags
# flags: h=served hot, c=catering, s=Healthy Start, t=stock tracked, p=pass-through
MENU: list[tuple[str, str, int, str, VatClass, str]] = [
    ("Tea", "Hot drinks", 120, "T1", S, "hc"),
    ("Filter coffee", "Hot drinks", 150, "C1", S, "hc"),
    ("Latte", "Hot drinks", 220, "C2", S, "hc"),
    ("Cappuccino", "Hot drinks", 220, "C3", S, "hc"),
    ("Hot chocolate", "Hot drinks", 200, "H1", S, "hc"),
    ("Babyccino", "Hot drinks", 50, "B1", S, "hc"),
    ("Toast and jam", "Hot food", 100, "F1", Z, "hc"),
    ("Beans on toast", "Hot food", 250, "F2", Z, "hc"),
    ("Soup and a roll", "Hot food", 300, "F3", Z, "hc"),
    ("Cheese toastie", "Hot food", 280, "F4", Z, "hc"),
    ("Scone with jam", "Cakes and snacks", 150, "K1", Z, "c"),
    ("Slice of cake", "Cakes and snacks", 180, "K2", Z, "c"),
    ("Cheese sandwich", "Cakes and snacks", 250, "K3", Z, "c"),
    ("Fruit pot", "Cakes and snacks", 100, "K4", Z, "c"),
    ("Kids' lunch box", "Cakes and snacks", 200, "K5", Z, "c"),
    ("Orange juice carton", "Cold drinks", 80, "D1", S, "ct"),
    ("Bottled water", "Cold drinks", 60, "D2", S, "ct"),
    ("Milk carton for kids", "Cold drinks", 50, "D3", Z, "ct"),
]

# name, category, price (pence), vat class, flags, reorder level
SHELVES: list[tuple[str, str, int, VatClass, str, int | None]] = [
    ("Semi-skimmed milk 2 pints", "Dairy", 145, Z, "st", 6),
    ("Whole milk 1 pint", "Dairy", 95, Z, "st", 6),
    ("Free range eggs 6", "Dairy", 210, Z, "t", 4),
    ("Bananas bunch", "Fruit and veg", 95, Z, "st", 5),
    ("Apples 6 pack", "Fruit and veg", 160, Z, "st", 4),
    ("Carrots 1kg", "Fruit and veg", 70, Z, "st", 4),
    ("Frozen peas 900g", "Fruit and veg", 135, Z, "st", 3),
    ("Chopped tomatoes 400g tin", "Cupboard", 55, Z, "st", 8),
    ("Red lentils 500g", "Cupboard", 110, Z, "st", 3),
    ("Baked beans 415g", "Cupboard", 95, Z, "t", 8),
    ("White bread loaf", "Bakery", 130, Z, "t", 4),
    ("Pasta 500g", "Cupboard", 85, Z, "t", 5),
    ("Long grain rice 1kg", "Cupboard", 150, Z, "t", 3),
    ("Porridge oats 1kg", "Cupboard", 120, Z, "t", 3),
    ("Tea bags 80", "Cupboard", 250, Z, "t", 3),
    ("First infant milk 800g", "Baby", 1250, Z, "st", 2),
    ("Nappies size 4", "Baby", 450, S, "t", 3),
    ("Baby wipes", "Baby", 120, S, "t", 4),
    ("Ready salted crisps 6 pack", "Treats", 180, S, "t", 4),
    ("Milk chocolate bar", "Treats", 85, S, "t", 10),
    ("Cola 500ml", "Treats", 125, S, "t", 6),
    ("Washing-up liquid", "Household", 110, S, "t", 3),
    ("Toilet roll 4 pack", "Household", 240, S, "t", 3),
    ("First class stamp", "Services", 165, X, "p", None),
]

# Money collected for someone else: short codes, not stock.
PASS_THROUGH: list[tuple[str, int, str]] = [
    ("Electricity key top-up £10", 1000, "ELEC10"),
    ("Gas card top-up £10", 1000, "GAS10"),
]

# Made-up people, with the PINs the demo sign-in screen shows.
#: Sam also sits on the board and Tomasz is the treasurer: officers are most often volunteers too.
VOLUNTEERS: list[tuple[str, Role | tuple[Role, ...], str]] = [
    ("Sam Ortiz", (Role.manager, Role.board_member), "1111"),
    ("Priya Kell", Role.shift_lead, "2222"),
    ("Jo Beckford", Role.volunteer, "3333"),
    ("Alex Moreno", Role.volunteer, "4444"),
    ("Dee Hartley", Role.volunteer, "5555"),
    ("Tomasz Nowicki", (Role.shift_lead, Role.treasurer), "6666"),
    ("Chris Lowe", Role.centre_staff, "7777"),
]


def demo_barcode(index: int) -> str:
    """Made-up but valid EAN-13s in the UK's 50 prefix range."""
    return with_check_digit(f"50{990000000 + index * 7919:010d}"[:12])


def _details(name: str, category: str, vat_class: VatClass, flags: str, reorder: int | None = None) -> ProductDetails:
    return ProductDetails(
        name=name, category=category, vat_class=vat_class, served_hot="h" in flags,
        catering="c" in flags, healthy_start="s" in flags, stock_tracked="t" in flags,
        pass_through="p" in flags, reorder_level=reorder,
    )


def create_shop(db: Database, *, at: str) -> bool:
    """Give an empty database the demo catalogue, and a database with no volunteers the demo
    volunteers. Returns whether the catalogue was added."""
    catalogue = Catalogue(db)
    volunteers = Volunteers(db)
    with transaction(db):
        if not volunteers.all(active_only=False):
            for name, role, _ in VOLUNTEERS:
                volunteers.add(name, role, at=at)
            _plan_rota(db, at)
        if not db.execute("select count(*) from services").fetchone()[0]:
            _demo_directory(db, at)
        if db.execute("select count(*) from products").fetchone()[0]:
            return False
        for name, category, price, code, vat_class, flags in MENU:
            catalogue.add(_details(name, category, vat_class, flags), price_pence=price, at=at, codes=[code])
        for index, (name, category, price, vat_class, flags, reorder) in enumerate(SHELVES):
            catalogue.add(_details(name, category, vat_class, flags, reorder), price_pence=price, at=at,
                          barcodes=[demo_barcode(index)])
        for name, price, code in PASS_THROUGH:
            catalogue.add(_details(name, "Services", X, "p"), price_pence=price, at=at, codes=[code])
    return True


#: The demo's weekly rota: (day, from, to, people needed, what, regulars). Some gaps are left on purpose.
ROTA = [
    (0, "09:00", "13:00", 2, "Café morning", ["Jo Beckford", "Alex Moreno"]),
    (0, "13:00", "16:00", 1, "Café afternoon", ["Tomasz Nowicki"]),
    (1, "09:00", "13:00", 2, "Café morning", ["Priya Kell", "Dee Hartley"]),
    (1, "13:00", "16:00", 1, "Café afternoon", ["Jo Beckford"]),
    (2, "09:00", "13:00", 2, "Café morning", ["Jo Beckford"]),
    (2, "13:00", "16:00", 1, "Café afternoon", []),
    (3, "09:00", "13:00", 2, "Café morning", ["Tomasz Nowicki", "Alex Moreno"]),
    (3, "13:00", "16:00", 1, "Café afternoon", ["Dee Hartley"]),
    (4, "09:00", "13:00", 2, "Café morning", ["Dee Hartley", "Priya Kell"]),
    (4, "13:00", "16:00", 1, "Café afternoon", ["Sam Ortiz"]),
    (5, "10:00", "14:00", 2, "Shop and stay-and-play", ["Priya Kell"]),
]


def _demo_directory(db: Database, at: str) -> None:
    """A made-up local service directory in the Open Referral UK format, as a council publishes it."""
    from importlib.resources import files

    from centre.directory import Directory, parse_services
    from core.ids import node_number

    if node_number(db) not in (None, 1):
        return  # a till on a hub gets the directory from the office, which alone imports it
    page = files("centre").joinpath("demo_directory.json").read_bytes()
    Directory(db).import_services(parse_services([("demo_directory.json", page)]), directory="demo-directory",
                                  at=at)


def _plan_rota(db: Database, at: str) -> None:
    from core.clock import from_stamp
    from volunteers.rota import Rota

    rota = Rota(Till(db, clock=lambda: from_stamp(at)))
    volunteers = Volunteers(db)
    manager = volunteers.by_name("Sam Ortiz").id
    for day, starts, ends, needed, label, regulars in ROTA:
        slot = rota.add_slot(day, starts, ends, needed=needed, label=label, operator_id=manager)
        for name in regulars:
            rota.put_on(slot.id, volunteers.by_name(name).id, week_of=None, operator_id=manager)


def give_demo_pins(db: Database) -> dict[int, str]:
    """Set the demo volunteers' PINs (a throwaway demo shop only); returns id → PIN for the sign-in screen."""
    volunteers = Volunteers(db)
    pins = {name: pin for name, _, pin in VOLUNTEERS}
    given = {}
    for volunteer in volunteers.all():
        if volunteer.name in pins:
            volunteers.set_pin(volunteer.id, pins[volunteer.name])
            given[volunteer.id] = pins[volunteer.name]
    return given
