"""National Insurance numbers: HMRC format, canonical form and the customer id derived from it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError, InvalidNationalInsuranceNumber
from domain.identity import customer_id_for, normalise_nino


@pytest.mark.parametrize(
    "raw",
    [
        "AB123456C",
        "ab123456c",
        "Ab123456c",
        "AB 12 34 56 C",
        "ab 12 34 56 c",
        "  AB123456C  ",
        "AB\t123456\nC",
    ],
)
def test_valid_spellings_of_a_nino_normalise_to_upper_case_without_spaces(raw: str) -> None:
    assert normalise_nino(raw) == "AB123456C"


@pytest.mark.parametrize("suffix", ["A", "B", "C", "D"])
def test_a_nino_may_end_in_a_b_c_or_d(suffix: str) -> None:
    assert normalise_nino(f"JK987654{suffix}") == f"JK987654{suffix}"


def test_o_may_be_the_first_letter_of_a_prefix() -> None:
    assert normalise_nino("OA000000A") == "OA000000A"


@pytest.mark.parametrize("letter", ["D", "F", "I", "Q", "U", "V"])
def test_a_prefix_starting_with_d_f_i_q_u_or_v_is_refused(letter: str) -> None:
    raw = f"{letter}A123456C"
    with pytest.raises(InvalidNationalInsuranceNumber, match="not two letters, six digits"):
        normalise_nino(raw)


@pytest.mark.parametrize("letter", ["D", "F", "I", "O", "Q", "U", "V"])
def test_a_prefix_whose_second_letter_is_d_f_i_o_q_u_or_v_is_refused(letter: str) -> None:
    with pytest.raises(InvalidNationalInsuranceNumber, match=f"'A{letter}123456C'"):
        normalise_nino(f"A{letter}123456C")


@pytest.mark.parametrize("prefix", ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"])
def test_a_prefix_that_is_never_allocated_is_refused_and_named(prefix: str) -> None:
    with pytest.raises(InvalidNationalInsuranceNumber, match=f"prefix {prefix}, which is never"):
        normalise_nino(f"{prefix}123456C")


def test_an_unallocated_prefix_is_refused_in_lower_case_too() -> None:
    with pytest.raises(InvalidNationalInsuranceNumber, match="prefix GB"):
        normalise_nino("gb 12 34 56 a")


@pytest.mark.parametrize("suffix", ["E", "Z", "1", ""])
def test_a_nino_without_a_final_letter_a_to_d_is_refused(suffix: str) -> None:
    with pytest.raises(InvalidNationalInsuranceNumber, match="final letter A-D"):
        normalise_nino(f"AB123456{suffix}")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "AB12345C",
        "AB1234567C",
        "AB123456CC",
        "A123456C",
        "ABC23456C",
        "AB12E456C",
        "12AB3456C",
        "AB-12-34-56-C",
    ],
)
def test_a_nino_of_the_wrong_shape_or_length_is_refused(raw: str) -> None:
    with pytest.raises(InvalidNationalInsuranceNumber) as info:
        normalise_nino(raw)
    assert repr(raw) in str(info.value)


@pytest.mark.parametrize(
    "raw",
    [
        "AB\uff11\uff12\uff13\uff14\uff15\uff16C",  # full-width digits
        "AB\u0660\u0661\u0662\u0663\u0664\u0665C",  # Arabic-Indic digits
        "AB12345\uff16C",
    ],
)
def test_digits_other_than_ascii_0_to_9_are_refused(raw: str) -> None:
    with pytest.raises(InvalidNationalInsuranceNumber):
        normalise_nino(raw)


def test_an_invalid_nino_is_a_domain_error() -> None:
    with pytest.raises(DomainError):
        normalise_nino("nonsense")


def test_equivalent_spellings_give_the_same_customer_id() -> None:
    assert customer_id_for("AB123456C") == customer_id_for("ab 12 34 56 c")
    assert customer_id_for("AB123456C") == customer_id_for(" Ab123456C\t")


def test_different_ninos_give_different_customer_ids() -> None:
    assert customer_id_for("AB123456C") != customer_id_for("AB123456D")
    assert customer_id_for("AB123456C") != customer_id_for("AB123457C")


def test_the_customer_id_is_stable_across_calls_and_is_a_name_based_uuid() -> None:
    first = customer_id_for("AB123456C")
    assert first == customer_id_for("AB123456C")
    assert first.version == 5


def test_no_customer_id_is_derived_from_an_invalid_nino() -> None:
    with pytest.raises(InvalidNationalInsuranceNumber):
        customer_id_for("ZZ123456C")


_first = st.sampled_from("ABCEGHJKLMNOPRSTWXYZ")
_second = st.sampled_from("ABCEGHJKLMNPRSTWXYZ")
_digits = st.text(alphabet="0123456789", min_size=6, max_size=6)
_suffix = st.sampled_from("ABCD")


@given(first=_first, second=_second, digits=_digits, suffix=_suffix, lower=st.booleans())
@settings(max_examples=100)
def test_every_well_formed_allocatable_nino_normalises_and_keeps_one_customer_id(
    first: str, second: str, digits: str, suffix: str, lower: bool
) -> None:
    canonical = f"{first}{second}{digits}{suffix}"
    spaced = f"{first}{second} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
    if lower:
        spaced = spaced.lower()
    if canonical[:2] in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
        with pytest.raises(InvalidNationalInsuranceNumber):
            normalise_nino(spaced)
        return
    assert normalise_nino(spaced) == canonical
    assert customer_id_for(spaced) == customer_id_for(canonical)
