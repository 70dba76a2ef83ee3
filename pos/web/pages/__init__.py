"""The web's pages, one module per kind of user or task. Each module has ROUTES (Starlette routes)
and LINKS ((label, path, allowed kinds or roles) for the home page's list); pos.web.app gathers the
modules named in PAGES. A new page: a module here, named in PAGES."""

PAGES = ["pos.web.pages.account", "pos.web.pages.member", "pos.web.pages.member_actions", "pos.web.pages.join",
         "pos.web.pages.reset", "pos.web.pages.volunteer", "pos.web.pages.reach", "pos.web.pages.takings",
         "pos.web.pages.board", "pos.web.pages.board_decide", "pos.web.pages.team", "pos.web.pages.catalogue",
         "pos.web.pages.year_end", "pos.web.pages.accounts"]
