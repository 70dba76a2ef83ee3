"""The till and what assembles the shop: baskets, sales, tenders, refunds, cash-up and reports, the
shop that opens every package's services over one database, the command line and the screens
(pos.tui, the only place that imports Textual)."""
