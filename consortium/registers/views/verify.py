"""Public verification of a certificate by its number (and the holder's credit code when two
bodies use the same number): open to visitors, at a short stable address that can be printed
as a QR code on a document (``/registers/verify/<number>``). What a visitor sees is decided in
``services.check.Verification`` (docs/registers.md: "What a visitor sees")."""
from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from consortium.auth.permissions import is_signed_in
from consortium.core.exceptions import DomainError, NotFound
from consortium.extensions import limiter

from .. import permissions
from ..services import check as check_services
from .common import _locale, bp


def visitor_limit():
    """Visitors' verifications, pages and API together, per client address (signed-in users are not
    limited): a number is found by anyone, but the register is not there to be walked through."""
    return limiter.shared_limit(lambda: current_app.config["VERIFY_RATE_LIMIT"], scope="public-verification",
                                key_func=get_remote_address, exempt_when=lambda: is_signed_in(current_user),
                                error_message=lambda: _("Too many verifications from your address. "
                                                        "Please wait a minute and try again."))


@bp.get("/verify")
@visitor_limit()
def verify():
    """The form; a number sent to it goes to the certificate's own address."""
    number = (request.args.get("number") or "").strip()
    if number:
        credit_code = (request.args.get("credit_code") or "").strip()
        return redirect(url_for(".verify_number", number=number, **({"credit_code": credit_code} if credit_code else {})))
    return render_template("registers/verify.html", result=None, error=None, number="", credit_code="")


@bp.get("/verify/<number>")
@visitor_limit()
def verify_number(number):
    credit_code = (request.args.get("credit_code") or "").strip()
    result, error, status = None, None, 200
    try:
        result = check_services.verify_certificate(number, credit_code or None, _locale())
    except NotFound as e:
        error, status = e, 404
    except DomainError as e:
        error, status = e, 400
    return render_template("registers/verify.html", result=result, error=error, number=number,
                           credit_code=credit_code,
                           member_view=permissions.can_view_certificates(current_user)), status
