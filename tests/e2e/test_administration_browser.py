"""In the browser: the administration publishes a new Leitfaden version; the lead reads the
Auswertung with its charts and data tables."""

import pytest

from applications.models import FundingProgramme, Guideline
from tests.application_helpers import complete_organisation, sample_programme
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import administrator, signing_authority
from tests.statistics_helpers import statistics_data_set

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_administrator_publishes_a_new_leitfaden_version(page):
    programme = sample_programme()
    old = programme.guideline
    log_in(page, administrator())
    page.goto("/verwaltung/")
    page.get_by_role("link", name="Leitfaden und Versionen").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=old.title).first.click()
    page.get_by_role("button", name="Neue Version anlegen").click()
    assert "in Bearbeitung" in page.get_by_test_id("guideline-status").inner_text()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Kriterium hinzufügen").click()
    page.get_by_label("Art").select_option("declaration")
    page.get_by_label("Kurzname").fill("klimaschutz")
    page.get_by_label("Text (deutsch)").fill("Wir achten auf einen sparsamen Umgang mit Material.")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Speichern").click()
    assert (
        page.get_by_test_id("criteria")
        .get_by_role("cell", name="klimaschutz", exact=True)
        .is_visible()
    )

    page.get_by_role("button", name="Version veröffentlichen").click()
    assert "veröffentlicht am" in page.get_by_test_id("guideline-status").inner_text()
    new = Guideline.objects.get(title=old.title, version=old.version + 1)
    assert new.published_at is not None
    assert FundingProgramme.objects.get(pk=programme.pk).guideline == new
    assert new.criteria.filter(code="klimaschutz").exists()


def test_lead_reads_the_statistics_with_charts_and_tables(page):
    statistics_data_set()
    log_in(page, signing_authority())
    page.goto("/verwaltung/auswertung/")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-status')")
    assert "3.800,00" in page.get_by_test_id("programmes-table").inner_text()
    assert_no_axe_violations(page)


def test_administrator_merges_a_duplicate_organisation(page):
    from accounts.models import Organisation
    from applications.models import Application
    from tests.review_helpers import submitted_application

    sample_programme()
    target = complete_organisation(name="Brücke Schleswig e. V.")
    duplicate = complete_organisation(name="Brücke Schleswig")
    application = submitted_application(organisation=duplicate)
    log_in(page, administrator())
    page.goto("/verwaltung/organisationen/")
    assert page.get_by_test_id("duplicate-hint").first.is_visible()
    assert_no_axe_violations(page)
    page.locator(f'a[href="/verwaltung/organisationen/{duplicate.pk}/zusammenfuehren/"]').click()
    page.get_by_label("Organisation, die bestehen bleibt").select_option(str(target.pk))
    page.get_by_role("button", name="Vorschau anzeigen").click()
    preview = page.get_by_test_id("merge-preview")
    assert application.reference in preview.inner_text()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Zusammenführung bestätigen").click()
    assert "zusammengeführt" in page.get_by_test_id("organisations").inner_text()
    assert Application.objects.get(pk=application.pk).organisation_id == target.pk
    assert not Organisation.objects.get(pk=duplicate.pk).is_active


def test_programme_page_with_required_attachments_and_leitfaden_upload(page, tmp_path):
    from tests.application_helpers import PDF_BYTES

    programme = sample_programme()
    log_in(page, administrator())
    page.goto(f"/verwaltung/programme/{programme.pk}/bearbeiten/")
    page.get_by_label("Satzung").check()
    page.get_by_role("button", name="Speichern").click()
    assert list(programme.required_attachment_kinds.values_list("code", flat=True)) == ["statutes"]
    page.goto(f"/verwaltung/programme/{programme.pk}/bearbeiten/")
    document = tmp_path / "leitfaden.pdf"
    document.write_bytes(PDF_BYTES)
    page.get_by_label("Leitfaden als PDF").set_input_files(str(document))
    page.get_by_role("button", name="Leitfaden hochladen").click()
    assert "Leitfaden herunterladen" in page.get_by_test_id("guideline-document").inner_text()
    assert_no_axe_violations(page)


def test_administrator_words_a_programme_intro_with_the_preview_beside_it(page):
    programme = sample_programme()
    log_in(page, administrator())
    page.goto("/verwaltung/")
    page.get_by_role("link", name="Textbausteine der Bescheide").click()
    page.get_by_role("link", name=programme.title).click()
    assert_no_axe_violations(page)
    # The frame first shows the saved state; wait for it so that no render outlives the test.
    saved_preview = lambda response: response.url.endswith("/vorschau.pdf")  # noqa: E731
    with page.expect_response(saved_preview, timeout=60_000):
        page.locator("tr[data-key=intro]").get_by_role("link", name="Bearbeiten").click()
    assert page.get_by_test_id("letter-preview").get_attribute("src").endswith("/vorschau.pdf")
    assert_no_axe_violations(page)

    # Without JavaScript the button posts the form into the preview frame.
    page.locator("textarea[name=text]").fill("")
    page.get_by_test_id("refresh-preview").click()
    error = page.frame_locator("iframe[name=letter-preview]").get_by_test_id("preview-error")
    assert "Bitte geben Sie einen Text ein." in error.inner_text()

    page.locator("textarea[name=text]").fill("Wir freuen uns über Ihr Projekt. Ich entscheide:")
    page.get_by_role("button", name="Speichern").click()
    row = page.locator("tr[data-key=intro]")
    assert "eigener Text" in row.inner_text()
    assert "Wir freuen uns über Ihr Projekt." in row.inner_text()
