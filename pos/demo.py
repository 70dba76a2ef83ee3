"""The names `till demo` uses, kept here so pos/cli.py's lazy imports stay as they are.

The demo lives in pos/demo_shop.py (the made-up shop) and pos/demo_trade.py (the simulator).
"""

from pos.demo_shop import create_shop, give_demo_pins
from pos.demo_trade import simulate

__all__ = ["create_shop", "give_demo_pins", "simulate"]
