"""Try something a volunteer asked for and, if it cannot be done, say why in plain words."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pos.errors import USER_ERRORS


def sentence(error: BaseException | str) -> str:
    """The error's message as the start of a sentence. Only the first letter is raised: the rest may
    name a product or a person ('Oat Milk Latte is no longer sold'), which str.capitalize would lower."""
    text = str(error)
    return text[:1].upper() + text[1:]


@dataclass
class Attempt:
    """How the `with` went: `failed` once the error has been said."""

    failed: bool = False


@contextmanager
def saying_errors(say: Callable[[str], object], *, then: str = "",
                  catch: tuple[type[BaseException], ...] = USER_ERRORS) -> Iterator[Attempt]:
    """Run the block; a user error (one of `catch`) is said through `say`, as a sentence followed by
    `then` ('Nothing was added.'), and goes no further. Check `failed` after the block:

        with saying_errors(self.fail) as attempt:
            self.basket.remove(index)
        if attempt.failed:
            return
    """
    attempt = Attempt()
    try:
        yield attempt
    except catch as error:
        attempt.failed = True
        say(f"{sentence(error)}. {then}" if then else sentence(error))
