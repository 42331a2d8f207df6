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


def test_it_removes_the_secret_of_a_personal_link_from_request_lines():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /my-request/s3cr3t-T0ken_value/ HTTP/1.1", "200", "99"),
        None,
    )
    StripQueryStrings().filter(record)
    assert "s3cr3t" not in record.getMessage()
    assert "/my-request/…/" in record.getMessage()


def test_it_removes_the_secret_of_every_kind_of_personal_link():
    for path in ("/my-match/s3cr3t-T0ken/", "/q/s3cr3t-T0ken/", "/my-calendar/s3cr3t-T0ken.ics"):
        record = logging.LogRecord(
            "django.server",
            logging.INFO,
            __file__,
            1,
            '"%s" %s %s',
            (f"GET {path} HTTP/1.1", "200", "9"),
            None,
        )
        StripQueryStrings().filter(record)
        assert "s3cr3t" not in record.getMessage()
