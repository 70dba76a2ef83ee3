"""The web back office: the till's second face (the screens are the first), for members at home and
staff away from the till. Starlette and Jinja2, server-rendered pages and ordinary forms; every rule
it follows is in the packages below (access/ for signing in, coop/ and volunteers/ for the figures),
so this package only reads what people sent, calls them, and shows what comes back."""
