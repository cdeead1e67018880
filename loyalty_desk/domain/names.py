"""Search keys for member names: pinyin keys and substring-as-prefix keys."""

from __future__ import annotations

import unicodedata

# pypinyin 0.55 has no surname mode, so surnames whose reading differs from the
# character's common reading are looked up here first (compound surnames first).
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "仇": ("qiu",),
    "区": ("ou",),
    "朴": ("piao",),
    "查": ("zha",),
    "乐": ("yue",),
    "盖": ("ge",),
    "翟": ("zhai",),
    "覃": ("qin",),
    "缪": ("miao",),
    "秘": ("bi",),
    "种": ("chong",),
    "召": ("shao",),
    "员": ("yun",),
    "繁": ("po",),
    "折": ("she",),
    "尉": ("yu",),
    "牟": ("mu",),
    "宓": ("fu",),
    "谌": ("chen",),
    "句": ("gou",),
    "郇": ("huan",),
    "薄": ("bo",),
    "阚": ("kan",),
    "能": ("nai",),
    "眭": ("sui",),
}
_LONGEST_SURNAME = max(len(s) for s in SURNAME_READINGS)


def _is_cjk_char(ch: str) -> bool:
    return (
        "\u4e00" <= ch <= "\u9fff"
        or "\u3400" <= ch <= "\u4dbf"
        or "\uf900" <= ch <= "\ufaff"
        or "\U00020000" <= ch <= "\U0003134f"
    )


def is_cjk(text: str) -> bool:
    """True when ``text`` contains at least one CJK ideograph (a Chinese name)."""
    return any(_is_cjk_char(ch) for ch in text)


def _ascii_letters(text: str) -> str:
    """Lowercase a-z only; accents are dropped (José -> jose)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def _pinyin_syllables(name: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    for length in range(min(_LONGEST_SURNAME, len(name)), 0, -1):
        reading = SURNAME_READINGS.get(name[:length])
        if reading is not None and len(name) > length:  # a lone character is not read as a surname
            rest = name[length:]
            return [*reading, *lazy_pinyin(rest, style=Style.NORMAL, errors="default")]
    return lazy_pinyin(name, style=Style.NORMAL, errors="default")


def to_pinyin_key(name: str) -> str:
    """张伟 -> ``zhangwei``; 单雄信 -> ``shanxiongxin`` (surname reading); Zhang Wei -> ``zhangwei``."""
    name = name.strip()
    if not is_cjk(name):
        return _ascii_letters(name)
    return _ascii_letters("".join(_pinyin_syllables(name)))


def name_search_keys(name: str) -> list[str]:
    """Keys such that a substring search of the name is a prefix search over the keys:
    every suffix of a CJK name (张晓明 -> 张晓明, 晓明, 明), the lowercased words of a Latin name."""
    name = name.strip()
    if is_cjk(name):
        compact = "".join(name.split())
        keys = [compact[i:] for i in range(len(compact))]
    else:
        keys = [word for word in (_ascii_letters(w) or w.lower() for w in name.split()) if word]
    return list(dict.fromkeys(keys))


def member_name_keys(name: str) -> list[str]:
    """What the member directory indexes a name under: ``name_search_keys`` plus the pinyin key,
    so that "晓明", "张晓明", "zhangxiaoming" and "zhang" all find 张晓明 by a prefix search."""
    return list(dict.fromkeys([*name_search_keys(name), to_pinyin_key(name)]))
