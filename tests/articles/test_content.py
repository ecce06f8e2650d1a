from dataclasses import replace
from datetime import date

from articles.content import Source


def test_a_source_shows_its_publisher_version_and_when_it_was_read_after_its_title():
    source = Source(
        title="Gastric cancer guideline",
        publisher="NCCN",
        url="https://www.nccn.org/",
        guideline_version="Version 2.2025",
        accessed_on=date(2025, 3, 3),
    )

    assert source.details == "NCCN. Version 2.2025. Accessed 3 March 2025."
    assert replace(source, guideline_version="", accessed_on=None).details == "NCCN."
