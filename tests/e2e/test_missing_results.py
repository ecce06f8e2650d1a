"""Issue 9, acceptance 4, in a real browser with a real worker.

A breast-cancer patient is asked the breast markers (not the stomach ones), uploads a pathology
report, and the check step, reading her records as they arrived, tells her no Ki-67 result was
found (and not ER, PR or HER2, which the report states). She submits; a case reviewer sees one row
per marker and the same missing Ki-67.
"""

import re

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from tests.e2e.steps import PASSWORD as PATIENT_PASSWORD
from tests.e2e.steps import sign_in, starts_consents_and_chooses, wait_for, wait_for_status
from tests.factories import PASSWORD, CancerTypeFactory, ConsentTextFactory, StaffFactory, UserFactory
from tests.uploads import samples
from tests.workers import celery_worker, purge_queues
from uploads.models import Case, CaseStatus

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PATHOLOGY_REPORT = """\
Northfield University Hospital - Department of Cellular Pathology
HISTOPATHOLOGY REPORT
Specimen: Left breast, ultrasound-guided core biopsy.
Microscopic: Invasive carcinoma of no special type (ductal), Nottingham grade 2.
Receptor status:
ER positive 90%
PR negative
HER2 IHC 2+ (equivocal); HER2 ISH not amplified
"""
BREAST_MARKERS = ["er", "pr", "her2", "ki67"]
STOMACH_ONLY = ["cldn18_2", "msi_mmr", "ebv", "fgfr2b"]


def test_a_breast_cancer_patient_is_told_no_ki67_was_found_and_the_reviewer_sees_one_row_per_marker(
    browser, live_server, tmp_path, worker_logs
):
    CancerTypeFactory(name="Breast cancer", slug="breast-cancer", profile="breast")
    CancerTypeFactory(name="Stomach cancer", slug="stomach-cancer", profile="stomach")
    ConsentTextFactory()
    patient = UserFactory(email="breast.patient@example.com", password=PATIENT_PASSWORD)
    reviewer = StaffFactory(email="reviewer@example.com", groups=["Case reviewer"])
    report = tmp_path / "pathology report.pdf"
    report.write_bytes(samples.text_pdf(PATHOLOGY_REPORT))
    purge_queues()

    sign_in(browser, live_server, patient.email, PATIENT_PASSWORD, two_factor=False)
    browser.get(f"{live_server.url}{reverse('uploads:case_start')}")
    # The diagnosis step asks the breast markers once the type is chosen, and no stomach marker.
    starts_consents_and_chooses(browser, "Breast cancer")
    asked = {field.get_attribute("name") for field in browser.find_elements(By.CSS_SELECTOR, "input[name]")}
    assert {f"biomarker_{key}" for key in BREAST_MARKERS} <= asked
    assert not {f"biomarker_{key}" for key in STOMACH_ONLY} & asked
    browser.find_element(By.ID, "id_biomarker_er").send_keys("Positive, 90%")
    browser.find_element(By.ID, "id_biomarker_pr").send_keys("Negative")
    browser.find_element(By.ID, "id_biomarker_her2").send_keys("2+ and ISH/FISH negative (HER2-low)")
    browser.find_element(By.ID, "id_biomarker_ki67").send_keys("I don't know")
    browser.find_element(By.ID, "id_questions").send_keys("Would hormone treatment be enough?")
    browser.find_element(By.NAME, "continue").click()

    wait_for(browser, expected_conditions.title_contains("Step 3 of 4"))
    browser.find_element(By.ID, "id_files").send_keys(str(report))
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".document-list .document"), seconds=30)
    browser.find_element(By.LINK_TEXT, "Continue").click()

    # No worker yet: the report waits to be read, and the page says so, with a refresh that needs no script.
    wait_for(browser, expected_conditions.title_contains("Step 4 of 4"))
    reading = browser.find_element(By.CSS_SELECTOR, "[data-still-reading]")
    assert "We are still reading your document." in reading.text
    assert reading.find_element(By.LINK_TEXT, "Refresh this page")

    with celery_worker(worker_logs):
        # The worker reads it; the page, looking again by itself, shows what the records lack.
        wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "[data-missing]"), seconds=60)
        check = browser.find_element(By.CSS_SELECTOR, "[data-records-check]").text
        assert "pathology report (biopsy or operation)" in check
        missing = [
            item.get_attribute("data-missing") for item in browser.find_elements(By.CSS_SELECTOR, "[data-missing]")
        ]
        assert missing == ["ki67"], check
        assert "We could not find your Ki-67 result." in check
        assert "you can still send your request without it" in check
        for read in ("90%", "2+", "not amplified"):  # what the reader took is never shown to her
            assert read not in check

        browser.find_element(By.XPATH, "//button[normalize-space()='Submit my request']").click()
        wait_for(browser, expected_conditions.title_contains("Breast cancer — sent"))
        case = Case.objects.get(owner=patient)
        wait_for_status(case, CaseStatus.WAITING_FOR_REVIEW, seconds=60)

    # The reviewer sees one row per marker, and the same missing Ki-67 below the comparison.
    sign_in(browser, live_server, reviewer.email, PASSWORD, two_factor=True)
    browser.get(f"{live_server.url}/admin/uploads/case/{case.pk}/change/")
    wait_for(browser, expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "table.comparison")))
    rows = [row.get_attribute("data-key") for row in browser.find_elements(By.CSS_SELECTOR, "tr.comparison__row")]
    for key in BREAST_MARKERS:
        assert rows.count(key) == 1, (key, rows)
    assert len(rows) == len(set(rows)), rows
    her2 = browser.find_element(By.CSS_SELECTOR, "tr.comparison__row[data-key='her2']").text
    assert re.search(r"2\+", her2) and "agrees" in her2, her2
    reviewer_missing = [
        item.get_attribute("data-missing") for item in browser.find_elements(By.CSS_SELECTOR, "[data-missing]")
    ]
    assert reviewer_missing == ["ki67"]
