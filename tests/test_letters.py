"""The Bescheid: content, PDF/A and tagging, immutability, downloads and the checksum audit."""

import hashlib
import io
import re
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.letter_models import DecisionLetter, LetterKind, LetterTextBlock, TextBlockKey
from applications.letters import add_months, euros_in_words, issue_decision_letter, number_in_words
from applications.models import Application, ApplicationEvent
from kitz_portal.errors import PortalError
from tests.application_helpers import complete_draft, complete_organisation, member_of
from tests.factories import applicant, case_handler, signing_authority

pytestmark = pytest.mark.django_db

REFERENCE = "KITZ-2027-0042"


@pytest.fixture
def application():
    draft = complete_draft()
    member = draft.organisation.memberships.first().user
    submitted = services.submit_application(actor=member, application=draft)
    Application.objects.filter(pk=submitted.pk).update(reference=REFERENCE)
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def lead():
    return signing_authority(first_name="Dörte", last_name="Petersen")


def grant(application, actor, **overrides):
    arguments = {
        "application": application,
        "kind": LetterKind.GRANT,
        "actor": actor,
        "amount": Decimal("4250.00"),
        "period_start": date(2027, 3, 1),
        "period_end": date(2027, 8, 31),
        "financing_type": "fixed_amount",
        "eligible_costs": Decimal("5000.00"),
        "conditions": "Die Veranstaltungen sind barrierefrei zugänglich zu machen.",
    }
    arguments.update(overrides)
    return issue_decision_letter(**arguments)


def pdf_reader(letter):
    with letter.file.open("rb") as handle:
        return pypdf.PdfReader(io.BytesIO(handle.read()))


def pdf_text(letter):
    text = "\n".join(page.extract_text() for page in pdf_reader(letter).pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("4250.00", "viertausendzweihundertfünfzig Euro"),
        ("1.00", "ein Euro"),
        ("21.00", "einundzwanzig Euro"),
        ("101.00", "einhunderteins Euro"),
        ("250.00", "zweihundertfünfzig Euro"),
        ("1000.00", "eintausend Euro"),
        ("17.00", "siebzehn Euro"),
        ("5000.00", "fünftausend Euro"),
        (
            "999999.99",
            "neunhundertneunundneunzigtausendneunhundertneunundneunzig Euro"
            " und neunundneunzig Cent",
        ),
        (
            "1234567.00",
            "eine Million zweihundertvierunddreißigtausendfünfhundertsiebenundsechzig Euro",
        ),
        ("0.50", "null Euro und fünfzig Cent"),
        ("12.01", "zwölf Euro und ein Cent"),
        ("2000000.00", "zwei Millionen Euro"),
    ],
)
def test_amounts_are_written_out_in_german_words(amount, words):
    assert euros_in_words(Decimal(amount)) == words


def test_number_words_cover_the_tricky_german_forms():
    assert number_in_words(0) == "null"
    assert number_in_words(16) == "sechzehn"
    assert number_in_words(30) == "dreißig"
    assert number_in_words(71) == "einundsiebzig"
    assert number_in_words(100) == "einhundert"
    assert number_in_words(11000) == "elftausend"
    with pytest.raises(ValueError):
        number_in_words(10**9)


def test_usage_report_due_date_keeps_to_the_end_of_short_months():
    assert add_months(date(2027, 8, 31), 3) == date(2027, 11, 30)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_grant_letter_carries_every_element_of_the_bescheid(application, lead):
    letter = grant(application, lead)
    text = pdf_text(letter)

    # Header, address window and information block are side by side: present, in any order.
    for fragment in [
        "Kreis Schleswig-Flensburg Der Landrat Fachdienst Migrationsmanagement – KITZ",
        f"{application.organisation.name} z. Hd. Aylin Kaya Lollfuß 12 24837 Schleswig",
        f"Aktenzeichen {REFERENCE}",
        f"Ihr Antrag vom {timezone.localtime(application.submitted_at):%d.%m.%Y}",
        "Auskunft erteilt",
        "Telefon",
        "Datum",
        "Haushaltsjahr 2",
    ]:
        assert fragment in text, fragment
    assert "Haushaltsjahr 2." not in text
    expected_in_order = [
        "Zuwendungsbescheid",
        "bewillige ich Ihnen",
        "4.250,00 €",
        "viertausendzweihundertfünfzig Euro",
        "Festbetragsfinanzierung",
        "5.000,00 €",
        "01.03.2027 bis 31.08.2027",
        "Mittelabruf",
        "Nebenbestimmungen",
        "ANBest-P",
        "Förderung durch den Kreis Schleswig-Flensburg hin",
        "30.11.2027",
        "Widerruf dieses Bescheids bleibt vorbehalten",
        "barrierefrei zugänglich",
        "Begründung",
        "Rechtsanspruch",
        "Ermessen",
        "Rechtsbehelfsbelehrung",
        "innerhalb eines Monats nach Bekanntgabe Widerspruch",
        "Flensburger Straße 7, 24837 Schleswig",
        "qualifizierten elektronischen Signatur",
        "Im Auftrag",
        "Dörte Petersen",
    ]
    position = 0
    for fragment in expected_in_order:
        found = text.find(fragment, position)
        assert found >= 0, f"{fragment!r} missing or out of order"
        position = found
    assert application.title in text
    assert timezone.localtime(application.submitted_at).strftime("%d.%m.%Y") in text


def test_grant_letter_is_archivable_tagged_german_and_embeds_its_fonts(application, lead):
    letter = grant(application, lead)
    reader = pdf_reader(letter)
    catalog = reader.trailer["/Root"]

    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp
    assert 'pdfaid:conformance="A"' in xmp
    assert f"Zuwendungsbescheid {REFERENCE}" in xmp
    assert reader.metadata.title == f"Zuwendungsbescheid {REFERENCE}"
    assert catalog["/Lang"] == "de"
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/OutputIntents" in catalog

    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for descendant in descendants:
                fonts.append(descendant.get_object()["/FontDescriptor"].get_object())
    assert fonts
    for descriptor in fonts:
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), descriptor
    assert any("Fira" in descriptor["/FontName"] for descriptor in fonts)


def test_letter_is_stored_with_its_checksum_and_recorded_in_the_timeline(application, lead):
    letter = grant(application, lead)
    letter.refresh_from_db()
    with letter.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == letter.sha256
    assert letter.file.name.startswith("private/letters/")
    assert REFERENCE not in letter.file.name
    assert letter.signer_name == "Dörte Petersen"
    assert letter.issued_by == lead
    assert letter.amount == Decimal("4250.00")
    assert letter.first_downloaded_at is None
    event = ApplicationEvent.objects.filter(application=application).last()
    assert event.note.startswith("Bescheid erstellt")
    assert event.actor == lead


def test_an_issued_letter_cannot_be_changed(application, lead):
    letter = grant(application, lead)
    other = ContentFile(b"%PDF-1.7 forged")
    letter.file.save("forged.pdf", other, save=False)
    with pytest.raises(ValidationError):
        letter.save()

    letter = DecisionLetter.objects.get(pk=letter.pk)
    letter.sha256 = "0" * 64
    with pytest.raises(ValidationError):
        letter.save()

    letter = DecisionLetter.objects.get(pk=letter.pk)
    letter.amount = Decimal("5000.00")
    with pytest.raises(ValidationError):
        letter.save()


def test_rejection_letter_gives_the_full_reasons(application, lead):
    reasons = (
        "Das Projekt ist eine Pflichtaufgabe des Trägers und damit nicht zusätzlich.\n\n"
        "Der Eigenanteil von 2 % erreicht die Mindestquote von 10 % nicht."
    )
    letter = issue_decision_letter(
        application=application, kind=LetterKind.REJECTION, actor=lead, reasons=reasons
    )
    text = pdf_text(letter)
    assert "Ablehnungsbescheid" in text
    assert f"auf Förderung des Projekts „{application.title}“ lehne ich ab" in text
    assert "Pflichtaufgabe des Trägers" in text
    assert "Mindestquote von 10 % nicht" in text
    assert "Rechtsbehelfsbelehrung" in text
    assert "Im Auftrag Dörte Petersen" in text
    assert "bewillige" not in text
    assert letter.amount is None
    assert pdf_reader(letter).metadata.title == f"Ablehnungsbescheid {REFERENCE}"


def test_letters_are_german_even_when_staff_work_in_english(application, lead, settings):
    from django.utils import translation

    with translation.override("en"):
        letter = grant(application, lead)
    assert "Rechtsbehelfsbelehrung" in pdf_text(letter)
    assert "Bescheid erstellt: Zuwendungsbescheid" in (
        ApplicationEvent.objects.filter(application=application).last().note
    )


def test_administrators_text_blocks_replace_the_defaults_per_programme(application, lead):
    LetterTextBlock.objects.update_or_create(
        programme=None,
        key=TextBlockKey.INTRO,
        defaults={"text": "Standardeinleitung für alle Programme."},
    )
    LetterTextBlock.objects.create(
        programme=application.programme,
        key=TextBlockKey.APPEAL_ADDRESS,
        text="Kreis Schleswig-Flensburg, Der Landrat, Moltkestraße 22-26, 24837 Schleswig",
    )
    text = pdf_text(grant(application, lead))
    assert "Standardeinleitung für alle Programme." in text
    assert "Moltkestraße 22-26" in text
    assert "Mittelabruf" in text  # the default payment text stays


def test_a_broken_template_rolls_back_with_a_clear_message(application, lead, settings, tmp_path):
    broken = tmp_path / "templates" / "letters"
    broken.mkdir(parents=True)
    (broken / "decision_letter.html").write_text("{% if %}kaputt")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    events_before = ApplicationEvent.objects.count()
    with pytest.raises(PortalError) as error:
        grant(application, lead)
    assert "Der Bescheid konnte nicht erstellt werden" in error.value.message
    assert REFERENCE in error.value.message
    assert not DecisionLetter.objects.exists()
    assert ApplicationEvent.objects.count() == events_before
    letters_dir = settings.MEDIA_ROOT / "private" / "letters"
    assert not letters_dir.exists() or not any(letters_dir.iterdir())


def test_only_kitz_staff_issue_letters_and_never_for_drafts(application):
    member = application.organisation.memberships.first().user
    with pytest.raises(PortalError):
        grant(application, member)
    draft = complete_draft()
    with pytest.raises(PortalError):
        grant(draft, signing_authority())
    with pytest.raises(PortalError):
        grant(application, signing_authority(), amount=None)
    assert not DecisionLetter.objects.exists()


def download_url(letter):
    return reverse(
        "applications:download_letter",
        kwargs={"pk": letter.application_id, "letter_id": letter.pk},
    )


def test_member_downloads_the_letter_and_the_first_download_is_stamped_once(
    application, lead, client
):
    letter = grant(application, lead)
    member = application.organisation.memberships.first().user
    client.force_login(member)

    response = client.get(download_url(letter))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"Zuwendungsbescheid-{REFERENCE}.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    letter.refresh_from_db()
    first = letter.first_downloaded_at
    assert first is not None

    second_member = member_of(application.organisation)
    client.force_login(second_member)
    assert client.get(download_url(letter)).status_code == 200
    letter.refresh_from_db()
    assert letter.first_downloaded_at == first


def test_other_organisations_and_other_applications_get_404(application, lead, client):
    letter = grant(application, lead)
    client.force_login(applicant(organisation=complete_organisation()))
    assert client.get(download_url(letter)).status_code == 404

    member = application.organisation.memberships.first().user
    other_application = complete_draft()
    client.force_login(member)
    wrong_pair = reverse(
        "applications:download_letter",
        kwargs={"pk": other_application.pk, "letter_id": letter.pk},
    )
    assert client.get(wrong_pair).status_code == 404
    letter.refresh_from_db()
    assert letter.first_downloaded_at is None


def test_anonymous_visitors_are_sent_to_the_login(application, lead, client):
    letter = grant(application, lead)
    response = client.get(download_url(letter))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_staff_opening_a_letter_is_audited_and_does_not_count_as_delivery(
    application, lead, client
):
    letter = grant(application, lead)
    handler = case_handler()
    client.force_login(handler)
    response = client.get(download_url(letter))
    assert response.status_code == 200
    event = ApplicationEvent.objects.filter(application=application).last()
    assert event.actor == handler
    assert event.note.startswith("Bescheid von Mitarbeitenden geöffnet")
    letter.refresh_from_db()
    assert letter.first_downloaded_at is None


def test_verify_letters_reports_a_corrupted_and_a_missing_file(application, lead, capsys, settings):
    first = grant(application, lead)
    second = issue_decision_letter(
        application=application, kind=LetterKind.REJECTION, actor=lead, reasons="Gründe."
    )
    third = grant(application, lead)
    orphan = settings.MEDIA_ROOT / "private" / "letters" / "liegengeblieben.pdf"
    orphan.write_bytes(b"%PDF-1.7")
    call_command("verify_letters")
    output = capsys.readouterr().out
    assert "3 Bescheide geprüft, 0 mit Fehlern." in output
    assert "OHNE BESCHEID: private/letters/liegengeblieben.pdf" in output

    with open(first.file.path, "ab") as handle:
        handle.write(b"tampered")
    second.file.storage.delete(second.file.name)
    with pytest.raises(CommandError):
        call_command("verify_letters")
    captured = capsys.readouterr()
    assert f"ABWEICHUNG: Bescheid {first.pk}" in captured.err
    assert f"FEHLT: Bescheid {second.pk}" in captured.err
    assert f"Bescheid {third.pk}" not in captured.err


def test_applicant_finds_the_letter_on_the_application_page(application, lead, client):
    letter = grant(application, lead)
    client.force_login(application.organisation.memberships.first().user)
    response = client.get(reverse("applications:detail", kwargs={"pk": application.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bescheide" in page
    assert download_url(letter) in page
    assert "Amtssprache" in page


def test_staff_who_belong_to_the_organisation_cannot_issue_its_letters(application):
    insider = signing_authority()
    from accounts.models import Membership

    Membership.objects.create(user=insider, organisation=application.organisation)
    with pytest.raises(PortalError):
        grant(application, insider)
    assert not DecisionLetter.objects.exists()


def test_amendment_and_revocation_letters_refer_to_the_grant(application, lead):
    first = grant(application, lead)
    issued_on = timezone.localtime(first.issued_at).strftime("%d.%m.%Y")
    amendment = issue_decision_letter(
        application=application,
        kind=LetterKind.AMENDMENT,
        actor=lead,
        amount=Decimal("3800.00"),
        conditions="Der Bewilligungszeitraum endet am 30.09.2027.",
        reasons="Sie haben die Verlängerung am 01.07.2027 beantragt.",
    )
    text = pdf_text(amendment)
    assert "Änderungsbescheid" in text
    assert f"Den Zuwendungsbescheid vom {issued_on}" in text
    assert "3.800,00 € (in Worten: dreitausendachthundert Euro)" in text
    assert "Rechtsbehelfsbelehrung" in text

    revocation = issue_decision_letter(
        application=application,
        kind=LetterKind.REVOCATION,
        actor=lead,
        amount=Decimal("1200.50"),
        repayment_due_on=date(2028, 1, 31),
        reasons="Der Verwendungsnachweis wurde trotz Erinnerung nicht vorgelegt.",
    )
    text = pdf_text(revocation)
    assert "Widerrufsbescheid" in text
    assert "widerrufe ich" in text
    assert "eintausendzweihundert Euro und fünfzig Cent" in text
    assert "bis zum 31.01.2028 zu zahlen" in text


def structure_types(node, found=None):
    found = set() if found is None else found
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for child in node:
            structure_types(child, found)
    elif isinstance(node, dict):
        if "/S" in node:
            found.add(node["/S"])
        if "/K" in node:
            structure_types(node["/K"], found)
    return found


def test_screen_readers_get_headings_lists_and_tables_in_the_structure_tree(application, lead):
    reader = pdf_reader(grant(application, lead))
    types = structure_types(reader.trailer["/Root"]["/StructTreeRoot"])
    assert {"/Document", "/H1", "/H2", "/P", "/L", "/LI", "/Table", "/TH", "/TD"} <= types


def test_without_the_kern_fonts_the_letter_embeds_dejavu_sans(application, lead, monkeypatch):
    from applications import letters

    monkeypatch.setattr(letters, "_font_faces", lambda: "")
    reader = pdf_reader(grant(application, lead))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
                names.add(str(descriptor["/FontName"]))
    assert names
    assert all("DejaVu" in name for name in names), names
