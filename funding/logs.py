"""What the server log says of a response: a client error (4xx) in one line, a server error with its traceback."""

import logging


def escaped(text):
    # As django.utils.log.log_response escapes its arguments: a path cannot start a line of its own.
    return text.encode("unicode_escape").decode("ascii")


class OneLineClientErrors(logging.Filter):
    """A filter for the server log's handler (settings.LOGGING). Django logs a 4xx response at WARNING
    with the exception it came from (a 403 with PermissionDenied's traceback, at every request of a reader
    at an editor's page): such a record is rewritten as one line, "GET /releases/upload/ 403", without
    the traceback.
    A 5xx response is left as Django logs it, traceback included: that one is a bug to read."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if status is None or status >= 500:
            return True
        record.exc_info = record.exc_text = None
        if record.name.startswith("django.security."):
            # A request Django's security checks refused (a Host not allowed, a too large form): what it
            # says is the news ("Invalid HTTP_HOST header: 'x'."), kept on one line, without the traceback
            # every scanner's request printed.
            record.msg, record.args = escaped(record.getMessage()), ()
            return True
        if request is not None:
            record.msg, record.args = "%s %s %s", (escaped(request.method), escaped(request.path), status)
        return True
