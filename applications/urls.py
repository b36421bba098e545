from django.urls import path

from . import amendment_views, letter_views, payment_views, revocation_views, usage_views, views

app_name = "applications"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("beantragen/", views.programmes, name="programmes"),
    path("beantragen/<int:programme_id>/vorpruefung/", views.eligibility, name="eligibility"),
    path(
        "programme/<int:pk>/leitfaden.pdf",
        views.guideline_document,
        name="guideline_document",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/projekt/", views.step_project, name="step_project"),
    path("<int:pk>/kosten/", views.step_costs, name="step_costs"),
    path(
        "<int:pk>/kosten/<int:item_id>/entfernen/",
        views.delete_cost_item,
        name="delete_cost_item",
    ),
    path("<int:pk>/finanzierung/", views.step_financing, name="step_financing"),
    path(
        "<int:pk>/finanzierung/<int:item_id>/entfernen/",
        views.delete_financing_item,
        name="delete_financing_item",
    ),
    path("<int:pk>/anlagen/", views.step_attachments, name="step_attachments"),
    path(
        "<int:pk>/anlagen/<int:attachment_id>/",
        views.download_attachment,
        name="download_attachment",
    ),
    path(
        "<int:pk>/anlagen/<int:attachment_id>/entfernen/",
        views.delete_attachment,
        name="delete_attachment",
    ),
    path("<int:pk>/erklaerungen/", views.step_declarations, name="step_declarations"),
    path("<int:pk>/zusammenfassung/", views.summary, name="summary"),
    path("<int:pk>/absenden/", views.submit, name="submit"),
    path("<int:pk>/zurueckziehen/", views.withdraw, name="withdraw"),
    path("<int:pk>/loeschen/", views.delete, name="delete"),
    path("<int:pk>/kopieren/", views.copy, name="copy"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/rueckfrage/", views.answer_information_request, name="answer"),
    path("<int:pk>/nachricht/", views.applicant_message, name="applicant_message"),
    path("kitz/eingang/", views.staff_queue, name="staff_queue"),
    path("kitz/budget/", views.staff_budget, name="staff_budget"),
    path("kitz/benachrichtigungen/", views.staff_outbox, name="staff_outbox"),
    path(
        "kitz/benachrichtigungen/<int:notification_id>/erneut-senden/",
        views.staff_resend_notification,
        name="staff_resend_notification",
    ),
    path("kitz/<int:pk>/", views.staff_case, name="staff_case"),
    path("kitz/<int:pk>/zuweisen/", views.staff_assign, name="staff_assign"),
    path("kitz/<int:pk>/notiz/", views.staff_note, name="staff_note"),
    path("kitz/<int:pk>/nachricht/", views.staff_message, name="staff_message"),
    path("kitz/<int:pk>/rueckfrage/", views.staff_request_information, name="staff_request_info"),
    path("kitz/<int:pk>/pruefvermerk/", views.staff_review, name="staff_review"),
    path("kitz/<int:pk>/vorschlag/", views.staff_propose, name="staff_propose"),
    path("kitz/<int:pk>/entscheidung/", views.staff_decide, name="staff_decide"),
]

urlpatterns += [
    path(
        "<int:pk>/bescheide/<int:letter_id>/",
        letter_views.download_letter,
        name="download_letter",
    ),
    path(
        "<int:pk>/bescheide/<int:letter_id>/rechtsbehelfsverzicht/",
        letter_views.waive_appeal,
        name="waive_appeal",
    ),
    path(
        "kitz/<int:pk>/bescheide/<int:letter_id>/post/",
        letter_views.staff_record_posting,
        name="staff_record_posting",
    ),
    path("<int:pk>/mittelabruf/", payment_views.request_payment, name="request_payment"),
    path(
        "kitz/<int:pk>/mittelabruf/<int:payment_id>/pruefen/",
        payment_views.staff_check_payment,
        name="staff_check_payment",
    ),
    path(
        "kitz/<int:pk>/mittelabruf/<int:payment_id>/freigeben/",
        payment_views.staff_release_payment,
        name="staff_release_payment",
    ),
    path("kitz/auszahlungen/", payment_views.staff_payouts, name="staff_payouts"),
    path(
        "kitz/auszahlungen/export.<str:file_format>",
        payment_views.staff_payouts_export,
        name="staff_payouts_export",
    ),
    path(
        "kitz/auszahlungen/<int:payment_id>/ausgezahlt/",
        payment_views.staff_mark_paid,
        name="staff_mark_paid",
    ),
    path("<int:pk>/verwendungsnachweis/", usage_views.usage_report, name="usage_report"),
    path("<int:pk>/verwendungsnachweis/beleg/", usage_views.add_receipt, name="add_receipt"),
    path(
        "<int:pk>/verwendungsnachweis/import/",
        usage_views.import_receipts,
        name="import_receipts",
    ),
    path(
        "<int:pk>/verwendungsnachweis/vorlage.<str:file_format>",
        usage_views.receipts_template,
        name="receipts_template",
    ),
    path(
        "<int:pk>/verwendungsnachweis/anlagen/",
        usage_views.upload_usage_attachment,
        name="upload_usage_attachment",
    ),
    path(
        "<int:pk>/verwendungsnachweis/anlagen/<int:attachment_id>/",
        usage_views.download_usage_attachment,
        name="download_usage_attachment",
    ),
    path(
        "<int:pk>/verwendungsnachweis/anlagen/<int:attachment_id>/entfernen/",
        usage_views.delete_usage_attachment,
        name="delete_usage_attachment",
    ),
    path(
        "kitz/<int:pk>/verwendungsnachweis/pruefen/",
        usage_views.staff_check_usage_report,
        name="staff_check_usage_report",
    ),
    path(
        "kitz/<int:pk>/verwendungsnachweis/bestaetigen/",
        usage_views.staff_confirm_usage_report,
        name="staff_confirm_usage_report",
    ),
    path("<int:pk>/aenderung/", amendment_views.request_amendment, name="request_amendment"),
    path(
        "kitz/<int:pk>/aenderung/<int:amendment_id>/",
        amendment_views.staff_amendment,
        name="staff_amendment",
    ),
]

urlpatterns += [
    path("<int:pk>/anhoerung/", revocation_views.answer_hearing, name="answer_hearing"),
    path(
        "<int:pk>/anhoerung/<int:procedure_id>/schreiben/",
        revocation_views.hearing_letter,
        name="hearing_letter",
    ),
    path(
        "kitz/<int:pk>/widerruf/anhoerung/",
        revocation_views.staff_start_hearing,
        name="staff_start_hearing",
    ),
    path(
        "kitz/<int:pk>/widerruf/vorschlag/",
        revocation_views.staff_propose_revocation,
        name="staff_propose_revocation",
    ),
    path(
        "kitz/<int:pk>/widerruf/entscheidung/",
        revocation_views.staff_decide_revocation,
        name="staff_decide_revocation",
    ),
    path(
        "kitz/<int:pk>/rueckforderung/zahlung/",
        revocation_views.staff_record_repayment,
        name="staff_record_repayment",
    ),
    path(
        "kitz/<int:pk>/verwendungsnachweis/rueckforderung/",
        revocation_views.staff_usage_report_repayment,
        name="staff_usage_report_repayment",
    ),
    path("kitz/rueckforderungen/", revocation_views.staff_repayments, name="staff_repayments"),
]
