import json
import logging

from django.conf import settings
from django.utils.module_loading import import_string
from django_guid import set_guid


def production_handler(stream) -> logging.Handler:
    """Build the console handler exactly as the production LOGGING setting describes it."""
    config = settings.LOGGING
    formatter_config = dict(config["formatters"]["json"])
    formatter = import_string(formatter_config.pop("()"))(**formatter_config)
    filter_config = dict(config["filters"]["request_id"])
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(import_string(filter_config.pop("()"))(**filter_config))
    return handler


def test_production_logs_one_json_object_a_line_with_the_request_id(tmp_path):
    log_file = tmp_path / "log.jsonl"
    logger = logging.getLogger("navis.test.logging")
    with log_file.open("w") as stream:
        handler = production_handler(stream)
        logger.addHandler(handler)
        try:
            set_guid("req-42")
            logger.warning("case %s moved to %s", 17, "processing")
            set_guid(None)
        finally:
            logger.removeHandler(handler)

    lines = log_file.read_text().splitlines()
    assert len(lines) == 1
    event = json.loads(lines[0])
    assert event["message"] == "case 17 moved to processing"
    assert event["level"] == "WARNING"
    assert event["logger"] == "navis.test.logging"
    assert event["request_id"] == "req-42"
    assert "time" in event
