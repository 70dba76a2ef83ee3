"""The co-operative: members, community shares, dividends and member cards."""
