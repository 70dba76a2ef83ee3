"""The co-operative: the register of members and its personal-data rules, community shares,
dividends and member cards."""
