"""Generated from the definitions (catalog.schemas.AccessRequestFields, AccessDecisionFields,
AccessGrantFields, AccessStepFields); the bases hold the buttons and the data-space choice."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField

from consortium.core.entity import form_class

from ..schemas import AccessDecisionFields, AccessGrantFields, AccessRequestFields, AccessStepFields


class _RequestBase(FlaskForm):
    submit = SubmitField(_l("Send the request"))


class _ApproveBase(FlaskForm):
    # the register's data spaces, set by the view (``DeliverySpaces.choices``)
    delivery_space_id = SelectField(_l("Data space"), choices=[], validate_choice=False,
                                    description=_l("With delivery through a trusted data space: which one."))
    approve = SubmitField(_l("Approve"))


class _DeclineBase(FlaskForm):
    decline = SubmitField(_l("Decline"))


class _DeliverBase(FlaskForm):
    deliver = SubmitField(_l("Mark as delivered"))


class _ReceiptBase(FlaskForm):
    confirm = SubmitField(_l("Confirm receipt"))


AccessRequestForm = form_class("AccessRequestForm", _RequestBase, AccessRequestFields)
ApproveForm = form_class("ApproveForm", _ApproveBase, AccessGrantFields,
                         place=(("delivery_space_id", "delivery_method"),))
DeclineForm = form_class("DeclineForm", _DeclineBase, AccessDecisionFields,
                         adjust={"reason": {"required": True, "help": _l("Shown to the requesting member.")}})
DeliverForm = form_class("DeliverForm", _DeliverBase, AccessStepFields,
                         adjust={"note": {"label": _l("Delivery note"),
                                          "help": _l("e.g. the API key was sent to the contact; the files are in "
                                                     "the exchange folder.")}})
ReceiptForm = form_class("ReceiptForm", _ReceiptBase, AccessStepFields,
                         adjust={"note": {"label": _l("Receipt note")}})
