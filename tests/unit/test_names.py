from __future__ import annotations

import pytest

from loyalty_desk.domain.names import is_cjk, name_search_keys, to_pinyin_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("张伟", "zhangwei"),
        ("张晓明", "zhangxiaoming"),
        (" 张 伟 ", "zhangwei"),
        ("吕布", "lvbu"),  # ü as v, ASCII only
        ("Zhang Wei", "zhangwei"),
        ("O'Neil-Smith", "oneilsmith"),
        ("José María", "josemaria"),
        ("阿依古丽·买买提", "ayigulimaimaiti"),
    ],
)
def test_pinyin_key(name: str, key: str):
    assert to_pinyin_key(name) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("单雄信", "shanxiongxin"),
        ("曾国藩", "zengguofan"),
        ("解缙", "xiejin"),
        ("仇英", "qiuying"),
        ("区永", "ouyong"),
        ("朴槿惠", "piaojinhui"),
        ("查良镛", "zhaliangyong"),
        ("尉迟恭", "yuchigong"),
        ("万俟卨", "moqixie"),
        ("长孙无忌", "zhangsunwuji"),
    ],
)
def test_pinyin_key_reads_the_surname_as_a_surname(name: str, key: str):
    assert to_pinyin_key(name) == key


def test_pinyin_key_given_name_keeps_common_reading():
    assert to_pinyin_key("张单") == "zhangdan"


def test_search_keys_cjk_suffixes():
    assert name_search_keys("张晓明") == ["张晓明", "晓明", "明"]
    assert name_search_keys("明明") == ["明明", "明"]  # deduplicated


def test_any_substring_is_a_prefix_of_a_key():
    name = "欧阳晓明"
    keys = name_search_keys(name)
    for start in range(len(name)):
        for end in range(start + 1, len(name) + 1):
            assert any(key.startswith(name[start:end]) for key in keys)


def test_search_keys_latin_words():
    assert name_search_keys("Zhang  Wei") == ["zhang", "wei"]
    assert name_search_keys("Wei WEI") == ["wei"]
    assert name_search_keys("") == []


def test_is_cjk():
    assert is_cjk("张伟")
    assert is_cjk("Zhang 伟")
    assert not is_cjk("Zhang Wei")
    assert not is_cjk("")
