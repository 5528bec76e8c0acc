"""publishing.anonymize: what a clarification notice may say in public (Art. 22)."""

import pytest

from publishing.anonymize import (
    find_leaks,
    is_valid_credit_code,
    is_valid_id_card,
    redact,
    surname_of,
)

# Valid check digits, computed per GB 11643 (ID) and GB 32100 (credit code).
ID_PLAIN = "110101199003074477"
ID_WITH_X = "11010519491231002X"
ID_WITH_X_LOWER = "11010519491231002x"
CREDIT_CODE = "91350100M000100Y43"


def test_check_digits():
    assert is_valid_id_card(ID_PLAIN)
    assert is_valid_id_card(ID_WITH_X)
    assert is_valid_id_card(ID_WITH_X_LOWER)
    assert not is_valid_id_card("110101199003074478")
    assert is_valid_credit_code(CREDIT_CODE)
    assert not is_valid_credit_code("91350100M000100Y44")
    assert not is_valid_credit_code("91350100M000100Y4")


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("张三", "张"),
        ("王小明", "王"),
        ("欧阳明华", "欧阳"),
        ("司马光", "司马"),
        ("诸葛亮", "诸葛"),
        ("欧阳", "欧"),
    ],
)
def test_surname(name, surname):
    assert surname_of(name) == surname


def test_names_become_surname_mou():
    text = "经查，举报反映张三、李四违规执法的问题不属实，张三依法履职。"
    assert redact(text, ["张三", "李四"]) == (
        "经查，举报反映张某、李某违规执法的问题不属实，张某依法履职。"
    )


def test_compound_surnames_are_kept_whole():
    assert redact("欧阳明华同志和司马光同志", ["欧阳明华", "司马光"]) == (
        "欧阳某同志和司马某同志"
    )


def test_longer_name_wins_over_a_shorter_one_inside_it():
    assert redact("王小明和王小", ["王小", "王小明"]) == "王某和王某"


def test_single_characters_and_already_redacted_names_are_ignored():
    assert redact("张某在张店执法", ["张", "张某"]) == "张某在张店执法"


@pytest.mark.parametrize("number", [ID_PLAIN, ID_WITH_X, ID_WITH_X_LOWER])
def test_id_card_numbers_are_masked(number):
    out = redact(f"身份证号{number}，住址略。")
    assert number not in out
    assert out == f"身份证号{'*' * 18}，住址略。"


def test_id_shaped_number_with_a_wrong_check_digit_is_masked_too():
    # A mistyped ID number still identifies its holder.
    assert "110101199003074478" not in redact("证件号110101199003074478")


@pytest.mark.parametrize(
    "phone",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 13812345678",
        "0531-88886666",
        "0531 8888 6666",
        "(0531)88886666",
        "（0531）88886666",
        "010-12345678",
        "0531-88886666转123",
    ],
)
def test_phone_numbers_in_every_common_format_are_masked(phone):
    out = redact(f"联系电话：{phone}。")
    assert not any(ch.isdigit() for ch in out), out
    assert find_leaks(f"电话{phone}")[0].kind in {"mobile", "landline"}


@pytest.mark.parametrize(
    "plate",
    [
        "鲁A12345",
        "鲁A·12345",
        "鲁AD12345",
        "鲁A12345D",
        "京BF1234",
        "粤B·D12345",
        "鲁A1234X",
    ],
)
def test_vehicle_plates_including_new_energy_plates_are_masked(plate):
    out = redact(f"驾驶{plate}号车辆")
    assert plate not in out
    assert [leak.kind for leak in find_leaks(plate)] == ["plate"]


def test_credit_codes_and_email_addresses_are_masked():
    out = redact(
        f"某公司（统一社会信用代码{CREDIT_CODE}），邮箱zhang.san@example.com。"
    )
    assert CREDIT_CODE not in out
    assert "zhang.san@example.com" not in out
    assert out.startswith("某公司（统一社会信用代码")
    assert [leak.kind for leak in find_leaks(out)] == []


@pytest.mark.parametrize(
    "text",
    [
        "济历城政发〔2025〕1号",
        "济政办字〔2024〕12号",
        "2025年3月1日起施行，有效期至2027年2月28日",
        "2025-03-01",
        "依据第二十二条、第十六条第（三）项",
        "案件编号LCJD-2025-0001",
        "罚款20000元，没收违法所得1,234.56元",
        "鲁ICP备00000000号",
        "鲁公网安备 37011200000000号",
    ],
)
def test_document_numbers_dates_and_articles_are_left_alone(text):
    assert redact(text, ["张三"]) == text
    assert find_leaks(text, ["张三"]) == []


def test_leaks_list_every_offending_span_in_order():
    text = "张三（身份证号110101199003074477）驾驶鲁A12345，电话13812345678。"
    leaks = find_leaks(text, ["张三"])
    assert [leak.kind for leak in leaks] == ["name", "id_card", "plate", "mobile"]
    for leak in leaks:
        assert text[leak.start : leak.end] == leak.text
    assert leaks[0].label == "当事人姓名"
    assert find_leaks(redact(text, ["张三"]), ["张三"]) == []


def test_redaction_is_idempotent():
    text = "欧阳明华，电话0531-88886666，邮箱a@b.cn"
    once = redact(text, ["欧阳明华"])
    assert redact(once, ["欧阳明华"]) == once
