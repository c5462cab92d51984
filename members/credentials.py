"""Format checks for the registration numbers of law firms and lawyers.

These are offline checks of how a number is built, not a lookup in any register: a number
that passes may still not belong to anyone. The messages are plain Chinese strings; the
Django layer wraps them for display.
"""

import datetime

# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space, as typed with a Chinese IME.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# 统一社会信用代码 (GB 32100-2015) ------------------------------------------------------

CREDIT_CODE_LENGTH = 18
# Digits and upper-case letters without I, O, Z, S, V; a character's value is its index.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# The standard defines W_i = 3^(i-1) mod 31, which gives
# 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28.
CREDIT_CODE_WEIGHTS = tuple(pow(3, i, 31) for i in range(CREDIT_CODE_LENGTH - 1))
# Registration authority 3 (司法行政) and organisation type 1 (律师事务所).
LAW_FIRM_CREDIT_CODE_PREFIX = "31"

CREDIT_CODE_WRONG_LENGTH = "统一社会信用代码应为18位，当前为{length}位。"
CREDIT_CODE_ILLEGAL_CHARACTER = (
    "统一社会信用代码含有非法字符“{character}”，只能使用数字和大写英文字母（不含I、O、Z、S、V）。"
)
CREDIT_CODE_DIVISION_NOT_DIGITS = "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字。"
CREDIT_CODE_BAD_CHECK_CHARACTER = "统一社会信用代码校验码错误，请核对后重新输入。"
CREDIT_CODE_NOT_LAW_FIRM = "律师事务所的统一社会信用代码应以“31”开头。"


def normalize_credit_code(code: str) -> str:
    """Return the code as it should be stored: half-width, upper-case, without spaces."""
    return "".join(code.translate(_HALF_WIDTH).split()).upper()


def credit_code_check_character(first17: str) -> str:
    """Compute the 18th (check) character for the first 17 characters of a credit code.

    C18 = 31 - (sum of C_i * W_i mod 31), where a result of 31 becomes 0.
    Raises ValueError unless given exactly 17 characters of the code alphabet.
    """
    if len(first17) != CREDIT_CODE_LENGTH - 1 or any(
        character not in CREDIT_CODE_ALPHABET for character in first17
    ):
        raise ValueError(f"expected 17 characters of {CREDIT_CODE_ALPHABET!r}, got {first17!r}")
    total = sum(
        CREDIT_CODE_ALPHABET.index(character) * weight
        for character, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[-total % 31]


def validate_credit_code(code: str, *, law_firm: bool = False) -> str | None:
    """Return None if `code` is a well-formed 统一社会信用代码, else a message in Chinese.

    The input is normalised first (see `normalize_credit_code`). Checked: the length, the
    alphabet, that positions 3-8 (the administrative division code) are digits, and the
    check character. With `law_firm=True` the code must also start with "31".

    Not checked: whether the registration authority, organisation type or division code is
    one actually in use, nor the GB 11714 check digit of the organisation code in positions
    9-17, which codes issued since 2015 do not reliably carry.
    """
    code = normalize_credit_code(code)
    if len(code) != CREDIT_CODE_LENGTH:
        return CREDIT_CODE_WRONG_LENGTH.format(length=len(code))
    for character in code:
        if character not in CREDIT_CODE_ALPHABET:
            return CREDIT_CODE_ILLEGAL_CHARACTER.format(character=character)
    if not code[2:8].isdigit():
        return CREDIT_CODE_DIVISION_NOT_DIGITS
    if code[-1] != credit_code_check_character(code[:-1]):
        return CREDIT_CODE_BAD_CHECK_CHARACTER
    if law_firm and not code.startswith(LAW_FIRM_CREDIT_CODE_PREFIX):
        return CREDIT_CODE_NOT_LAW_FIRM
    return None


# 律师执业证号 -------------------------------------------------------------------------

LICENSE_NUMBER_LENGTH = 17
# The lawyer system was restored in 1979; no licence in use is older.
FIRST_LICENSE_YEAR = 1979

LICENSE_NUMBER_NOT_DIGITS = "执业证号只能包含数字。"
LICENSE_NUMBER_WRONG_LENGTH = "执业证号应为17位数字，当前为{length}位。"
LICENSE_NUMBER_BAD_FIRST_DIGIT = "执业证号应以数字1开头。"
LICENSE_NUMBER_BAD_YEAR = (
    "执业证号第6至9位（首次执业年份）应在{first}年至{last}年之间，当前为{year}。"
)
LICENSE_NUMBER_BAD_CATEGORY = "执业证号第10位（执业类别）应为1至9之间的数字。"


def normalize_license_number(number: str) -> str:
    """Return the licence number half-width and without spaces."""
    return "".join(number.translate(_HALF_WIDTH).split())


def validate_lawyer_license_number(number: str, *, current_year: int | None = None) -> str | None:
    """Return None if `number` is a well-formed 律师执业证号, else a message in Chinese.

    The 17 digits are: 1-5 the issuing authority (first digit 1, then its area code),
    6-9 the year first licensed, 10 the licence category (1 专职, 2 兼职, 3 香港, 4 澳门,
    5 台湾, 6 公职, 7 公司, 8 法律援助, 9 军队), 11-17 a sequence number.

    Checked: 17 ASCII digits after normalisation, the leading 1, a year from 1979 to next
    year (`current_year` defaults to today's), and a category from 1 to 9. There is no check
    digit, so a mistyped sequence number cannot be detected; nor is the area code checked.
    """
    number = normalize_license_number(number)
    if number and not (number.isascii() and number.isdigit()):
        return LICENSE_NUMBER_NOT_DIGITS
    if len(number) != LICENSE_NUMBER_LENGTH:
        return LICENSE_NUMBER_WRONG_LENGTH.format(length=len(number))
    if number[0] != "1":
        return LICENSE_NUMBER_BAD_FIRST_DIGIT
    last_year = (current_year or datetime.date.today().year) + 1
    year = int(number[5:9])
    if not FIRST_LICENSE_YEAR <= year <= last_year:
        return LICENSE_NUMBER_BAD_YEAR.format(first=FIRST_LICENSE_YEAR, last=last_year, year=year)
    if number[9] == "0":
        return LICENSE_NUMBER_BAD_CATEGORY
    return None


def license_year(number: str) -> int:
    """Return the year first licensed, read from positions 6-9 of a licence number.

    Raises ValueError, with the Chinese message, if the number is not well-formed.
    """
    message = validate_lawyer_license_number(number)
    if message is not None:
        raise ValueError(message)
    return int(normalize_license_number(number)[5:9])
