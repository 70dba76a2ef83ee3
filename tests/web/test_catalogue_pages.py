"""The catalogue over HTTP (pos/web/pages/catalogue.py): products by category with price, VAT and stock,
found by name or code, for the roles the actions × roles table lets see it; a price change typed, shown old
beside new, confirmed, and written as a new price record by those who may, and by no one else."""

from __future__ import annotations

import pytest

from inventory.stock import Stock
from tests.conftest import make_products
from tests.web.conftest import csrf, join, sign_in, sign_up
from tests.web.roles import signed_in_as
from volunteers.people import Role
from volunteers.permissions import ALLOWED, Action


@pytest.fixture
def products(shop):
    made = make_products(shop.db)
    Stock(shop.db).goods_in(made["beans"].id, 24, at="2026-01-02T00:00:00+00:00")
    return made


@pytest.fixture
def treasurer(app, shop, access):
    return signed_in_as(app, shop, access, "Tomasz Nowicki", {Role.shift_lead, Role.treasurer}, address="10.0.0.6")


def _prices(shop) -> list[tuple]:
    return shop.db.execute("select id, product_id, price_pence, created_at from prices order by id").fetchall()


def _ask(client, product_id: int, typed: str):
    token = csrf(client.get(f"/catalogue/{product_id}").text)
    return client.post(f"/catalogue/{product_id}/price", data={"csrf": token, "price": typed})


@pytest.mark.parametrize("role", list(Role))
def test_the_catalogue_and_the_price_form_follow_the_table(app, shop, access, products, role):
    client = signed_in_as(app, shop, access, f"Someone {role.value}", role, address="10.0.0.9")
    sees = role in ALLOWED[Action.view_catalogue]
    assert client.get("/catalogue").status_code == (200 if sees else 403), role
    assert client.get(f"/catalogue/{products['milk'].id}").status_code == (200 if sees else 403), role
    if sees:
        form = 'action="/catalogue/' in client.get(f"/catalogue/{products['milk'].id}").text
        assert form == (role in ALLOWED[Action.change_price]), role


def test_the_catalogue_lists_by_category_with_price_vat_and_stock_and_finds(treasurer, products):
    text = treasurer.get("/catalogue").text
    assert "<caption>Cupboard</caption>" in text and "<caption>Hot drinks</caption>" in text
    beans = text.split(">Baked beans</a>")[1].split("</tr>")[0]
    assert "£0.95" in beans and "zero rate" in beans and ">24<" in beans
    assert "not counted" in text.split(">Tea</a>")[1].split("</tr>")[0]
    found = treasurer.get("/catalogue", params={"q": "bean"}).text
    assert "Baked beans" in found and "Crisps" not in found
    assert "Tea" in treasurer.get("/catalogue", params={"q": "T1"}).text
    assert "Nothing in the catalogue matches “%%%”." in treasurer.get("/catalogue", params={"q": "%%%"}).text


def test_a_treasurer_changes_a_price_after_seeing_the_old_and_the_new(shop, treasurer, products):
    milk = products["milk"].id
    before = _prices(shop)
    asked = _ask(treasurer, milk, "£1.55")
    assert asked.status_code == 200
    assert "<th scope=\"row\">Price now</th><td>£1.45</td>" in asked.text
    assert "<th scope=\"row\">New price</th><td>£1.55</td>" in asked.text
    assert _prices(shop) == before  # asking changes nothing
    done = treasurer.post(f"/catalogue/{milk}/price/confirm",
                          data={"csrf": csrf(asked.text), "price": "£1.55", "was": "145"})
    assert done.status_code == 303 and done.headers["location"] == f"/catalogue/{milk}?changed=1"
    page = treasurer.get(done.headers["location"]).text
    assert "The new price is current from now on" in page and "Price now</th><td>£1.55" in page
    after = _prices(shop)
    assert after[: len(before)] == before and len(after) == len(before) + 1
    assert shop.catalogue.get(milk).price_pence == 155
    tomasz = shop.volunteers.by_name("Tomasz Nowicki").id
    assert shop.db.execute("select operator_id, detail from audit_log where action = 'change_price'").fetchall() == [
        (tomasz, "Milk 2 pints: £1.45 to £1.55")]


@pytest.mark.parametrize("typed, says", [
    ("£1.2.3", "&#39;£1.2.3&#39; is not an amount of money (try 1.20 or £1.20)."),
    ("-1", "&#39;-1&#39; is negative; enter the amount without a minus sign."),
    ("9999999", "&#39;9999999&#39; is more than £1,000,000."),
    ("1.45", "Milk 2 pints is £1.45 already."),
])
def test_a_bad_price_is_a_sentence_and_changes_nothing(shop, treasurer, products, typed, says):
    before = _prices(shop)
    asked = _ask(treasurer, products["milk"].id, typed)
    assert asked.status_code == 400 and says in asked.text and "Traceback" not in asked.text
    # The attacker's method: skip the first step and post the confirmation with the bad price.
    forced = treasurer.post(f"/catalogue/{products['milk'].id}/price/confirm",
                            data={"csrf": csrf(asked.text), "price": typed, "was": "145"})
    assert forced.status_code == 400 and says in forced.text
    assert _prices(shop) == before


def test_a_confirmation_after_someone_else_changed_the_price_is_refused(shop, treasurer, products):
    asked = _ask(treasurer, products["tea"].id, "1.30")
    shop.catalogue.set_price(products["tea"].id, 125, at=shop.till.now())
    stale = treasurer.post(f"/catalogue/{products['tea'].id}/price/confirm",
                           data={"csrf": csrf(asked.text), "price": "1.30", "was": "120"})
    assert stale.status_code == 400 and "has changed to £1.25 since you looked" in stale.text
    assert shop.catalogue.get(products["tea"].id).price_pence == 125
    missing = treasurer.post(f"/catalogue/{products['tea'].id}/price/confirm",
                             data={"csrf": csrf(asked.text), "price": "1.30", "was": "lots"})
    assert missing.status_code == 400 and "The price you saw is missing" in missing.text


def test_a_volunteer_cannot_change_a_price_even_by_posting_the_form(shop, app, access, products):
    val = signed_in_as(app, shop, access, "Vic Volunteer", Role.volunteer, address="10.0.0.8")
    page = val.get(f"/catalogue/{products['milk'].id}").text
    assert "New price" not in page
    before = _prices(shop)
    for path in ("price", "price/confirm"):
        forced = val.post(f"/catalogue/{products['milk'].id}/{path}",
                          data={"csrf": csrf(page), "price": "0.01", "was": "145"})
        assert forced.status_code == 403, path
    assert _prices(shop) == before


def test_price_changes_need_the_csrf_token(shop, treasurer, products):
    before = _prices(shop)
    milk = products["milk"].id
    assert treasurer.post(f"/catalogue/{milk}/price", data={"price": "1.55"}).status_code == 403
    forged = treasurer.post(f"/catalogue/{milk}/price/confirm", data={"csrf": "forged", "price": "1.55", "was": "145"})
    assert forged.status_code == 403 and "This form has expired" in forged.text
    assert _prices(shop) == before


def test_an_unknown_product_is_a_sentence(treasurer, products):
    answer = treasurer.get("/catalogue/999999")
    assert answer.status_code == 400 and "There is no such product in the catalogue." in answer.text


def test_members_have_no_catalogue(shop, client, access, products):
    member = join(shop, "Ada Able")
    sign_up(client, access, member, member.number)
    sign_in(client, member.number)
    assert client.get("/catalogue").status_code == 403
