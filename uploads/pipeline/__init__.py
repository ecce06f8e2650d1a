"""Pure processing steps of the document pipeline: plain functions over files and text.

Each module holds one concern and returns small frozen dataclasses; none reads a model or logs
what a document says. The Celery tasks call them through the upload services:

- integrity: `sha256_of`
- scan: `scan_file` through clamd (`ScannerUnavailable` is transient: retry, never treat as clean)
- safe_copy: `make_safe_copy`, a re-encoded image or a PDF without active content, for reviewers
- extract: `extract_text`, the text layer and page count (OCR when tesseract is installed)
- classify: `classify_document`, the kind of document by its words
- findings: `extract_findings`, the biomarkers (read in biomarkers.py), stage and dates it states
- summary: `summarise_case`, the patient's answers beside what the documents say (compare.py)
- missing: `missing_results`, the key results of the cancer's profile that no read document states
- errors: what the steps raise
"""
