"""Phone numbers: the only module that uses `phonenumbers` (Google's libphonenumber).

A number written the national way (`06 12 34 56 78`) is read as a number of the
knowledge base's country (`country:` in handover.yml) and written back in the
international format the records use (`+33 6 12 34 56 78`). Two ways of writing
the same number compare equal through their E.164 form (`+33612345678`).
"""

from __future__ import annotations


class PhoneError(ValueError):
    """The text is not a phone number we can write in international format."""


def international(raw: str, country: str = "") -> str:
    """`raw` in international format; PhoneError says why it cannot be."""
    import phonenumbers

    text = raw.strip()
    if not text:
        raise PhoneError("empty")
    region = country.upper() or None
    if not text.startswith(("+", "00")) and region is None:
        raise PhoneError(f'"{raw}" has no country code, and handover.yml names no country: add country: FR (for example) or write it with +33')
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise PhoneError(f'"{raw}" is not a phone number') from None
    # "Possible" (the right length for its country), not "valid": validity follows the
    # ranges operators are allocated, which change, and would refuse numbers that work.
    if not phonenumbers.is_possible_number(number):
        where = region or phonenumbers.region_code_for_number(number)
        raise PhoneError(f'"{raw}" is not a valid phone number{" in " + where if where else ""}')
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def match_key(raw: object, country: str = "") -> str | None:
    """The E.164 form used to recognise one number however it is written; None when
    the text cannot be read as a number at all."""
    import phonenumbers

    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw.strip(), country.upper() or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
