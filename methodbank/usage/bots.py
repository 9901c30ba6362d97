"""Is this request a robot? Decided by the user agent only, with the crawler-user-agents list
(a maintained list of bot, crawler and monitoring patterns, updated with each release of the package).

A request without a user agent is not a browser either. Matching the whole list costs about 0.2 ms,
so answers are remembered: visitors' browsers send few distinct user agents.
"""

from functools import lru_cache

import crawleruseragents


@lru_cache(maxsize=2048)
def is_bot(user_agent: str) -> bool:
    if not user_agent.strip():
        return True
    return crawleruseragents.is_crawler(user_agent)
