import logging
import re

# A request line's query string may hold what someone searched for (a name, a phone number).
_QUERY_STRING = re.compile(r"(\"[A-Z]+ [^\"?\s]*)\?[^\"\s]*")


class StripQueryStrings(logging.Filter):
    """Remove query strings from request lines (e.g. runserver's access log) before logging."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = _QUERY_STRING.sub(r"\1?…", record.msg)
        return True
