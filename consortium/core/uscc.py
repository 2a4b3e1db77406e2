"""The unified social credit code (统一社会信用代码, GB 32100-2015) of an organisation — a
certificate's holder, a counterparty: how it is written (no spaces, upper case) and its check
character, the one check for every domain (python-stdnum's ``stdnum.cn.uscc``)."""
from flask_babel import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from consortium.core.exceptions import DomainError


def normalise_uscc(value) -> str:
    return "".join(str(value or "").split()).upper()


def check_uscc(value, field="holder_uscc") -> str:
    """The unified social credit code (GB 32100-2015): 18 characters and its check digit."""
    code = normalise_uscc(value)
    if not code:
        raise DomainError(_("This field is required."), field=field)
    try:
        return uscc.validate(code)
    except ValidationError:
        if len(code) != 18:
            raise DomainError(_("A unified social credit code has 18 characters (%(n)d given).", n=len(code)),
                              field=field) from None
        try:
            expected = uscc.calc_check_digit(code[:17])
        except (ValueError, KeyError, IndexError):  # characters outside the code's alphabet
            expected = None
        if expected is not None and expected != code[17]:
            raise DomainError(_("The unified social credit code %(code)s fails its check digit (expected %(d)s).",
                                code=code, d=expected), field=field) from None
        raise DomainError(_("%(code)s is not a valid unified social credit code.", code=code),
                          field=field) from None
