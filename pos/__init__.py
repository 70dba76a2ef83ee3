"""The till's core: baskets, sales, tenders, refunds, cash-up and reports. No Textual here."""
