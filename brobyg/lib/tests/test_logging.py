import logging

from brobyg.lib.logging import StripQueryStrings


def test_it_removes_what_was_searched_for_from_request_lines():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /members/?q=Jensen&role= HTTP/1.1", "200", "1234"),
        None,
    )
    StripQueryStrings().filter(record)
    assert record.getMessage() == '"GET /members/?… HTTP/1.1" 200 1234'
    assert "Jensen" not in record.getMessage()
