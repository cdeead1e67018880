"""Member lookup at the counter: one search box, every handle, masked results."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import add_branch, add_member, card_for, mobile_for, open_store, resident_id_for, uscc_for

from loyalty_desk.services.dto import HandleKind
from loyalty_desk.services.lookup import LookupService, classify
from loyalty_desk.store.repositories.lookup import LookupRepository


@pytest.fixture
def store(tmp_path: Path):
    store = open_store(tmp_path)
    add_branch(store.context, code="BJ01")
    add_branch(store.context, code="SH01", name_zh="上海分行", name_en="Shanghai Branch")
    yield store
    store.close()


@pytest.fixture
def lookup(store) -> LookupService:
    return LookupService(store.context)


def numbers(result) -> list[str]:
    return [row.member_no for row in result.rows]


def test_every_handle_finds_the_member(store, lookup):
    add_member(store.context, name="李娜")
    zhang = add_member(store.context, name="张伟", branch_code="SH01")
    serial = int(zhang[1:-1])
    card = card_for(serial)
    cases = {
        zhang: HandleKind.MEMBER_NO,
        zhang.lower(): HandleKind.MEMBER_NO,
        card: HandleKind.CARD_NO,
        " ".join(card[i : i + 4] for i in range(0, 16, 4)): HandleKind.CARD_NO,  # as a scanner or a person groups it
        mobile_for(serial): HandleKind.MOBILE,
        "+86 " + mobile_for(serial): HandleKind.MOBILE,
        mobile_for(serial)[-4:]: HandleKind.MOBILE_LAST4,
        resident_id_for(serial): HandleKind.RESIDENT_ID,
        "张伟": HandleKind.NAME,
    }
    for text, handle in cases.items():
        result = lookup.search(text=text)
        assert result.handle is handle, text
        assert numbers(result) == [zhang], text
        assert result.total == 1 and not result.truncated
        assert result.rows[0].branch_code == "SH01"


def test_business_and_passport_members_are_found_by_their_document(store, lookup):
    company = add_member(store.context, name="北京星辰科技有限公司", kind="business", id_type="uscc")
    traveller = add_member(store.context, name="John Smith", id_type="passport", id_number="E12345678")
    uscc = uscc_for(int(company[1:-1]))

    by_uscc = lookup.search(text=uscc.lower())
    assert by_uscc.handle is HandleKind.USCC and numbers(by_uscc) == [company]
    assert by_uscc.rows[0].masked_id == uscc[:6] + "********" + uscc[-4:]

    by_passport = lookup.search(text="e12345678")
    assert by_passport.handle is HandleKind.PASSPORT and numbers(by_passport) == [traveller]
    assert by_passport.rows[0].masked_id == "*****5678"
    assert by_passport.rows[0].masked_name == "John S."


def test_results_are_masked(store, lookup):
    member_no = add_member(store.context, name="欧阳晓明", mobile="13812345678")
    row = lookup.search(text=member_no).rows[0]
    id_number = resident_id_for(int(member_no[1:-1]))
    assert row.masked_name == "欧***"
    assert row.masked_mobile == "138****5678"
    assert row.masked_id == id_number[:6] + "********" + id_number[-4:]
    shown = " ".join(str(value) for value in vars(row).values())
    assert "13812345678" not in shown and id_number not in shown and "晓明" not in shown


def test_name_search_by_whole_name_part_of_name_and_pinyin(store, lookup):
    zhang_wei = add_member(store.context, name="张伟")
    zhang_weiming = add_member(store.context, name="张伟明")
    li_zhangwei = add_member(store.context, name="李张伟")
    wang_wei = add_member(store.context, name="王伟")
    zhang_li = add_member(store.context, name="张丽")
    latin = add_member(store.context, name="Zhang Wei", id_type="passport", id_number="E87654321")

    # exact name first, then names starting with it, then names containing it
    assert numbers(lookup.search(text="张伟")) == [zhang_wei, zhang_weiming, li_zhangwei]
    assert numbers(lookup.search(text="伟")) == sorted([zhang_wei, zhang_weiming, li_zhangwei, wang_wei])
    # pinyin: the whole key first (the Chinese and the Latin 张伟 alike), then keys starting with it
    assert numbers(lookup.search(text="zhangwei")) == [zhang_wei, latin, zhang_weiming]
    assert numbers(lookup.search(text="Zhang Wei")) == [zhang_wei, latin, zhang_weiming]
    assert set(numbers(lookup.search(text="zhang"))) == {zhang_wei, zhang_weiming, zhang_li, latin}
    assert lookup.search(text="zhang").handle is HandleKind.NAME
    # a Latin name is found by any of its words
    assert numbers(lookup.search(text="wei")) == [latin]


def test_last_four_with_many_matches_reports_the_total(store, lookup):
    for n in range(7):
        add_member(store.context, name=f"会员{n}", mobile=f"13{n}0000{n}555"[:7] + "5555")
    add_member(store.context, name="别人", mobile="13900001234")
    result = lookup.search(text="5555", limit=3)
    assert result.handle is HandleKind.MOBILE_LAST4
    assert result.total == 7 and len(result.rows) == 3 and result.truncated
    assert numbers(result) == sorted(numbers(result))


def test_counting_stops_at_the_cap(store):
    for n in range(6):
        add_member(store.context, name="张伟", mobile=f"139000{n}0555")
    with store.context.uow() as uow:
        page = uow.lookup.by_mobile_last4("0555", limit=2, count_cap=4)
        by_name = uow.lookup.by_name("张伟", limit=2, count_cap=4)
    assert (page.total, page.total_capped, len(page.rows)) == (4, True, 2)
    assert (by_name.total, by_name.total_capped, len(by_name.rows)) == (4, True, 2)


def test_limit_never_exceeds_the_setting(store, lookup):
    for _ in range(3):
        add_member(store.context, name="张伟")
    result = lookup.search(text="张伟", limit=10_000)
    assert result.limit == store.context.rules.lookup.max_results
    assert len(lookup.search(text="张伟", limit=2).rows) == 2


def test_no_match_and_empty_input(store, lookup):
    add_member(store.context, name="张伟")
    for text in ("M1000000000", "6222020000000000", "13000000000", "9999", "赵钱孙", "qian", "110105199001011234"):
        result = lookup.search(text=text)
        assert result.total == 0 and result.rows == (), text
    for text in ("", "   ", "?!", "-"):
        result = lookup.search(text=text)
        assert result.handle is HandleKind.EMPTY and result.rows == () and result.total == 0


def test_partial_numbers_search_as_prefixes_and_never_fail(store, lookup):
    member_no = add_member(store.context, name="张伟", mobile="13812345678")
    serial = int(member_no[1:-1])
    for text in (member_no[:6], member_no[1:8], "1381234", card_for(serial)[:10]):
        result = lookup.search(text=text)
        assert result.handle is HandleKind.NUMBER_PREFIX, text
        assert numbers(result) == [member_no], text
    for text in ("1", "12", "M", "x", "1234567890123456789012", "M10000000189", "张" * 200, "%", "_", "'; DROP TABLE member; --"):
        lookup.search(text=text)  # nothing typed so far may raise


def test_wildcards_are_not_wildcards(store, lookup):
    add_member(store.context, name="张伟")
    assert lookup.search(text="%").total == 0
    assert lookup.search(text="张%").total == 0
    assert lookup.search(text="张_").total == 0


def test_classify_reads_what_was_typed():
    assert classify("M1000000018").handle is HandleKind.MEMBER_NO
    assert classify("m 100 000 0018").handle is HandleKind.MEMBER_NO
    assert classify("6222 0200 0000 0005").handle is HandleKind.CARD_NO
    assert classify("138-1234-5678") == classify("13812345678")
    assert classify("008613812345678").value == "13812345678"
    assert classify("5678").handle is HandleKind.MOBILE_LAST4
    assert classify("11010519491231002x").handle is HandleKind.RESIDENT_ID
    assert classify("11010519491231002x").value == "11010519491231002X"
    assert classify("91350100M000100Y43").handle is HandleKind.USCC
    assert classify("G1234567").handle is HandleKind.PASSPORT
    assert classify(" 张 伟 ").value == "张伟"
    assert classify("Zhang Wei").value == "zhangwei"
    assert classify("z").handle is HandleKind.EMPTY
    assert classify("1234567").handle is HandleKind.NUMBER_PREFIX


def test_name_range_uses_the_index(store):
    with store.context.uow() as uow:
        repository: LookupRepository = uow.lookup
        plan = repository._fetch(
            "EXPLAIN QUERY PLAN SELECT DISTINCT member_id FROM member_name_key WHERE key >= :low AND key < :high",
            {"low": "张", "high": "张\U0010ffff"},
        )
    details = " ".join(str(row[-1]) for row in plan)
    assert "SEARCH member_name_key USING PRIMARY KEY (key>? AND key<?)" in details, details
