import pytest

from members.credentials import (
    CREDIT_CODE_BAD_CHECK_CHARACTER,
    CREDIT_CODE_DIVISION_NOT_DIGITS,
    CREDIT_CODE_NOT_LAW_FIRM,
    LICENSE_NUMBER_BAD_CATEGORY,
    LICENSE_NUMBER_BAD_FIRST_DIGIT,
    LICENSE_NUMBER_NOT_DIGITS,
    credit_code_check_character,
    license_year,
    normalize_credit_code,
    normalize_license_number,
    validate_credit_code,
    validate_lawyer_license_number,
)

# Character values: 0-9 are themselves, then A=10 B=11 C=12 D=13 E=14 F=15 G=16 H=17 J=18
# K=19 L=20 M=21 N=22 P=23 Q=24 R=25 T=26 U=27 W=28 X=29 Y=30.
# Weights W_i = 3^(i-1) mod 31: 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.

# The worked example of GB 32100-2015 (which rejects 91350100M000100Y4Z and computes 3):
# 9*1 + 1*3 + 3*9 + 5*27 + 0 + 1*26 + 0 + 0 + M21*20 + 0 + 0 + 0 + 1*8 + 0 + 0 + Y30*30 + 4*28
# = 9 + 3 + 27 + 135 + 26 + 420 + 8 + 900 + 112 = 1640; 1640 mod 31 = 28; 31 - 28 = 3.
STANDARD_EXAMPLE = "91350100M000100Y43"

# A published enterprise code (also in python-stdnum's tests):
# 9*1 + 1*3 + 1*9 + 1*27 + 6*20 + 3*8 + 7*24 + 3*10 + 4*30 + 1*28
# = 9 + 3 + 9 + 27 + 120 + 24 + 168 + 30 + 120 + 28 = 538; 538 mod 31 = 11; 31 - 11 = 20 = L.
ENTERPRISE_CODE = "91110000600037341L"

# A published public-institution code (registration authority 1, type 2):
# 1*1 + 2*3 + 1*9 + 2*27 + 4*20 + 1*25 + 3*13 + 5*8 + 9*24 + 8*30 + 1*28
# = 1 + 6 + 9 + 54 + 80 + 25 + 39 + 40 + 216 + 240 + 28 = 738; 738 mod 31 = 25; 31 - 25 = 6.
INSTITUTION_CODE = "121200004013590816"

# A published code whose weighted sum is a multiple of 31, so "31" must become "0":
# 9*1 + 1*3 + 6*9 + 2*27 + 1*26 + 5*17 + L20*20 + 1*25 + 5*13 + 1*8 + 1*10 + 2*30 + 8*28
# = 9 + 3 + 54 + 54 + 26 + 85 + 400 + 25 + 65 + 8 + 10 + 60 + 224 = 1023 = 33 * 31.
MULTIPLE_OF_31_CODE = "91620105L015101280"

# A law-firm-shaped code built for these tests (not a real firm):
# 3*1 + 1*3 + 4*9 + 4*27 + 3*26 + M21*20 + D13*29 + 1*13 + 2*8 + 3*24 + 4*10 + 5*30 + 6*28
# = 3 + 3 + 36 + 108 + 78 + 420 + 377 + 13 + 16 + 72 + 40 + 150 + 168 = 1484;
# 1484 mod 31 = 27; 31 - 27 = 4.
LAW_FIRM_CODE = "31440300MD01234564"


# 统一社会信用代码 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [STANDARD_EXAMPLE, ENTERPRISE_CODE, INSTITUTION_CODE, MULTIPLE_OF_31_CODE, LAW_FIRM_CODE],
)
def test_check_character_of_a_verified_code_is_its_last_character(code):
    assert credit_code_check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    "code",
    [STANDARD_EXAMPLE, ENTERPRISE_CODE, INSTITUTION_CODE, MULTIPLE_OF_31_CODE, LAW_FIRM_CODE],
)
def test_verified_codes_are_valid(code):
    assert validate_credit_code(code) is None


def test_check_character_of_a_multiple_of_31_is_zero_not_31():
    assert credit_code_check_character(MULTIPLE_OF_31_CODE[:17]) == "0"


def test_check_character_rejects_a_prefix_that_is_not_17_characters():
    with pytest.raises(ValueError):
        credit_code_check_character(ENTERPRISE_CODE)


def test_check_character_rejects_a_prefix_with_a_letter_outside_the_alphabet():
    with pytest.raises(ValueError):
        credit_code_check_character("91110000I00037341")


def test_code_with_the_wrong_check_character_is_rejected():
    assert validate_credit_code("91350100M000100Y4A") == CREDIT_CODE_BAD_CHECK_CHARACTER


def test_check_character_from_misremembered_weights_is_rejected():
    # Weights ..., 28, 25, 15, 8, 24, 10, 7 in positions 11-17 (a list that circulates, not
    # 3^(i-1) mod 31) give X for the standard's example instead of 3.
    assert validate_credit_code("91350100M000100Y4X") == CREDIT_CODE_BAD_CHECK_CHARACTER


def test_bad_check_character_message_does_not_reveal_the_expected_character():
    message = validate_credit_code("91110000600037341N")
    assert message == CREDIT_CODE_BAD_CHECK_CHARACTER
    assert "L" not in message


def test_a_single_mistyped_digit_is_caught_by_the_check_character():
    assert validate_credit_code("91110000600037342L") == CREDIT_CODE_BAD_CHECK_CHARACTER


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_code_containing_a_letter_outside_the_alphabet_is_rejected_naming_it(letter):
    message = validate_credit_code(f"91350100M{letter}00100Y43")
    assert message is not None
    assert "非法字符" in message
    assert f"“{letter}”" in message


def test_code_containing_a_chinese_character_is_rejected_as_illegal_character():
    message = validate_credit_code("91350100M000100Y4号")
    assert message is not None
    assert "非法字符" in message


def test_code_of_17_characters_is_rejected_for_its_length():
    message = validate_credit_code(STANDARD_EXAMPLE[:17])
    assert message == "统一社会信用代码应为18位，当前为17位。"


def test_code_of_19_characters_is_rejected_for_its_length():
    message = validate_credit_code(STANDARD_EXAMPLE + "0")
    assert message == "统一社会信用代码应为18位，当前为19位。"


def test_empty_code_is_rejected_for_its_length():
    assert validate_credit_code("   ") == "统一社会信用代码应为18位，当前为0位。"


def test_code_with_letters_in_the_division_code_is_rejected():
    # The check character is right, so only the division code rule can reject it.
    first17 = "9135A100M000100Y4"
    code = first17 + credit_code_check_character(first17)
    assert validate_credit_code(code) == CREDIT_CODE_DIVISION_NOT_DIGITS


def test_lower_case_code_normalises_to_a_valid_code():
    assert validate_credit_code("91350100m000100y43") is None


def test_full_width_code_normalises_to_a_valid_code():
    assert validate_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") is None


def test_code_with_spaces_normalises_to_a_valid_code():
    assert validate_credit_code(" 91 110000 600037341l\u3000") is None


def test_normalize_credit_code_returns_half_width_upper_case_without_spaces():
    assert normalize_credit_code(" ９１ 350100ｍ000100y43\t") == STANDARD_EXAMPLE


def test_law_firm_code_passes_the_law_firm_check():
    assert validate_credit_code(LAW_FIRM_CODE, law_firm=True) is None


def test_enterprise_code_fails_the_law_firm_check():
    assert validate_credit_code(ENTERPRISE_CODE, law_firm=True) == CREDIT_CODE_NOT_LAW_FIRM


def test_mistyped_law_firm_code_reports_the_check_character_first():
    assert validate_credit_code("91110000600037341N", law_firm=True) == (
        CREDIT_CODE_BAD_CHECK_CHARACTER
    )


# 律师执业证号 -------------------------------------------------------------------------

# Area 11101, first licensed 2010, category 1 (专职), sequence 0123456. Made up for tests.
LICENSE_NUMBER = "11101201010123456"


def test_well_formed_license_number_is_valid():
    assert validate_lawyer_license_number(LICENSE_NUMBER, current_year=2024) is None


def test_full_width_license_number_with_spaces_normalises_to_valid():
    number = "１１１０１ ２０１０ １ ０１２３４５６"
    assert validate_lawyer_license_number(number, current_year=2024) is None


def test_normalize_license_number_returns_half_width_digits_without_spaces():
    assert normalize_license_number(" １１１０１\u30002010 101234 56 ") == LICENSE_NUMBER


def test_license_number_of_16_digits_is_rejected_for_its_length():
    message = validate_lawyer_license_number(LICENSE_NUMBER[:16], current_year=2024)
    assert message == "执业证号应为17位数字，当前为16位。"


def test_license_number_of_18_digits_is_rejected_for_its_length():
    message = validate_lawyer_license_number(LICENSE_NUMBER + "7", current_year=2024)
    assert message == "执业证号应为17位数字，当前为18位。"


def test_empty_license_number_is_rejected_for_its_length():
    message = validate_lawyer_license_number("", current_year=2024)
    assert message == "执业证号应为17位数字，当前为0位。"


def test_license_number_with_a_letter_is_rejected():
    number = "1110120101012345X"
    assert validate_lawyer_license_number(number, current_year=2024) == LICENSE_NUMBER_NOT_DIGITS


def test_license_number_with_non_ascii_digits_is_rejected():
    number = "1110120101012345" + "\u0661"  # ARABIC-INDIC DIGIT ONE passes str.isdigit()
    assert validate_lawyer_license_number(number, current_year=2024) == LICENSE_NUMBER_NOT_DIGITS


def test_license_number_not_starting_with_1_is_rejected():
    number = "2" + LICENSE_NUMBER[1:]
    assert validate_lawyer_license_number(number, current_year=2024) == (
        LICENSE_NUMBER_BAD_FIRST_DIGIT
    )


def test_license_number_first_licensed_in_1979_is_valid():
    number = "11101197910123456"
    assert validate_lawyer_license_number(number, current_year=2024) is None


def test_license_number_first_licensed_before_1979_is_rejected():
    message = validate_lawyer_license_number("11101197810123456", current_year=2024)
    assert message == "执业证号第6至9位（首次执业年份）应在1979年至2025年之间，当前为1978。"


def test_license_number_first_licensed_next_year_is_valid():
    number = "11101202510123456"
    assert validate_lawyer_license_number(number, current_year=2024) is None


def test_license_number_first_licensed_two_years_ahead_is_rejected():
    message = validate_lawyer_license_number("11101202610123456", current_year=2024)
    assert message is not None
    assert "首次执业年份" in message


def test_license_number_year_defaults_to_todays_year():
    assert validate_lawyer_license_number(LICENSE_NUMBER) is None


@pytest.mark.parametrize("category", "123456789")
def test_license_number_accepts_categories_1_to_9(category):
    number = f"111012010{category}0123456"
    assert validate_lawyer_license_number(number, current_year=2024) is None


def test_license_number_with_category_0_is_rejected():
    number = "11101201000123456"
    assert validate_lawyer_license_number(number, current_year=2024) == (
        LICENSE_NUMBER_BAD_CATEGORY
    )


def test_license_year_reads_positions_6_to_9():
    assert license_year(LICENSE_NUMBER) == 2010


def test_license_year_normalises_its_input():
    assert license_year("１１１０１２００８１０１２３４５６") == 2008


def test_license_year_of_a_malformed_number_raises_value_error_with_the_message():
    with pytest.raises(ValueError, match="执业证号应为17位数字"):
        license_year("123")
