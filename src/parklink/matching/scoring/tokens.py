"""Words of a listing or a query: jieba's search-mode cut, lower-cased, without filler words."""

from __future__ import annotations

import re
from functools import cache

import jieba

# Words every listing says (供应, 需求, 长期, 产品...) carry no meaning for relevance.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "等",
        "各类",
        "各种",
        "相关",
        "以及",
        "提供",
        "供应",
        "供给",
        "需求",
        "需要",
        "求购",
        "采购",
        "寻求",
        "寻找",
        "长期",
        "稳定",
        "批量",
        "大量",
        "优质",
        "合作",
        "企业",
        "公司",
        "有限",
        "有限公司",
        "我司",
        "本公司",
        "产品",
        "服务",
        "一批",
        "可",
        "能",
        "为",
        "我们",
        "欢迎",
        "联系",
        "对接",
        "年",
        "月",
        "日",
        "每月",
        "每年",
        "吨",
        "件",
        "台",
        "套",
        "万",
        "个",
    ]
)
_WORD = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)


@cache
def _ready() -> None:
    jieba.setLogLevel(60)
    jieba.initialize()


def tokenize(text: str) -> list[str]:
    """jieba's search-mode words (a long word and its parts), for indexing and querying alike."""
    _ready()
    words: list[str] = []
    for word in jieba.cut_for_search(text or ""):
        word = word.strip().lower()
        if not word or word in STOPWORDS or not _WORD.search(word) or word.isdigit():
            continue
        if len(word) == 1 and not word.isascii() and word not in _SINGLE_OK:
            continue
        words.append(word)
    return words


# Single characters that name materials on their own (锂 batteries, 钢 plates).
_SINGLE_OK = frozenset("锂钴镍铜铝钢铁硅锌锡钛镁稀茶酒米肉奶油气")
