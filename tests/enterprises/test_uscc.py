"""GB 32100-2015 check character."""

import pytest

from parklink.enterprises.uscc import check_character, is_valid, normalise, problem

# Built from a valid 17-character body with its computed check character.
BODY = "91510100MA6C4XXX0"


class TestUscc:
    def test_known_valid_codes_pass(self) -> None:
        # Public codes printed on business licences.
        for code in ("91350100M000100Y43", "91110000802100433B"):
            assert is_valid(code), problem(code)

    def test_check_character_round_trip(self) -> None:
        code = BODY + check_character(BODY)
        assert is_valid(code)

    def test_wrong_check_character_says_which_is_expected(self) -> None:
        good = check_character(BODY)
        wrong = "0" if good != "0" else "1"
        found = problem(BODY + wrong)
        assert found is not None and found.code == "checksum"
        assert f"应为“{good}”" in found.message_zh and f"实际为“{wrong}”" in found.message_zh

    @pytest.mark.parametrize(
        ("code", "reason"),
        [
            ("9135010", "length"),
            ("91350100M000100YI3", "charset"),
            ("X1350100M000100Y43", "authority"),
            ("H1350100M000100Y43", "authority"),
            ("9135A100M000100Y43", "adcode"),
        ],
    )
    def test_malformed_codes_name_the_reason(self, code: str, reason: str) -> None:
        found = problem(code)
        assert found is not None and found.code == reason

    def test_lower_case_and_spaces_are_normalised(self) -> None:
        assert is_valid(" 91350100m000100y43 ")

    def test_full_width_characters_and_ideographic_spaces_are_normalised(self) -> None:
        # As typed with a Chinese input method or pasted from a document.
        assert normalise("\u3000９１３５０１００Ｍ０００１００Ｙ４３\t") == "91350100M000100Y43"
        assert is_valid("９１３５ ０１００\u3000Ｍ０００ １００Ｙ４３")


class TestFieldValidator:
    def test_the_admin_explains_a_bad_code_in_the_active_language(self) -> None:
        from django.core.exceptions import ValidationError
        from django.utils import translation

        from parklink.enterprises.models import validate_uscc

        wrong = BODY + ("0" if check_character(BODY) != "0" else "1")
        for language, words in (("en", "check character is wrong"), ("zh-hans", "校验码错误")):
            with translation.override(language), pytest.raises(ValidationError) as caught:
                validate_uscc(wrong)
            assert words in caught.value.messages[0]
