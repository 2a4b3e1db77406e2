"""Every audited model reads in the change history with labels, not column names: each domain
registers its models' labels (from its definitions where it has them)."""
from consortium.audit import labels as audit_labels
from consortium.extensions import db


def test_every_column_of_every_audited_model_has_a_label(app):
    missing = []
    with app.test_request_context():
        for mapper in db.Model.registry.mappers:
            model = mapper.class_
            if not getattr(model, "__audited__", False):
                continue
            if not audit_labels.is_registered(model.__name__):
                missing.append(model.__name__)
                continue
            for column in model.__table__.columns:
                if audit_labels.field_label(model.__name__, column.key) == column.key:
                    missing.append(f"{model.__name__}.{column.key}")
    assert missing == []


def test_a_data_spaces_row_reads_in_chinese(app):
    with app.test_request_context():
        assert audit_labels.field_label("DataSpace", "circulation_mask") == audit_labels.field_label(
            "DataSpace", "circulation_modes")
        assert audit_labels.value_label("DataSpace", "kind", "industry") != "industry"
        assert audit_labels.value_label("DataSpace", "domains", "transport,health") == "交通、医疗健康"
        assert audit_labels.model_label("Certificate") == "登记证书"
