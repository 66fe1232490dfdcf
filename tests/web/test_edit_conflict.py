"""The 409 page's context that the plain edit pages and the plan page share
(app.web.forms.edit_conflict): what was typed with the stored version, the message, and
what the other person stored where it differs, as a person reads it."""

from __future__ import annotations

from app.error_texts import error_text
from app.web.forms import StoredField, edit_conflict

FIELDS = {
    "status": StoredField("Estado del plan", catalog="plan_status"),
    "next_review_on": StoredField("Próxima revisión", is_date=True),
    "reason": StoredField("Motivo"),
}


def test_only_the_fields_that_differ_as_a_person_reads_them():
    stored = {"version": "4", "status": "completed", "next_review_on": "2025-12-19", "reason": ""}
    typed = {"version": "3", "status": "in_progress", "next_review_on": "", "reason": ""}
    context = edit_conflict(stored, typed, FIELDS, more=[("Metas", "cambiaron")])
    assert context["values"] == typed | {"version": "4"}
    assert context["conflict"] == error_text("record_stale_kept")
    assert context["theirs"] == [
        ("Estado del plan", "Culminado"),
        ("Próxima revisión", "19 dic 2025"),
        ("Metas", "cambiaron"),
    ]


def test_an_emptied_field_reads_as_empty_and_equal_values_say_nothing():
    stored = {"version": "2", "status": "drafted", "reason": ""}
    typed = {"status": "drafted", "reason": "Denuncia."}
    assert edit_conflict(stored, typed, FIELDS)["theirs"] == [("Motivo", "(vacío)")]
    assert edit_conflict(stored, stored, FIELDS)["theirs"] == []
