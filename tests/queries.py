"""Counting what a page asks of the database, for the tests that compare two counts."""

# A staff session records its last request once a minute (core.sessions): the first page of
# a minute writes the session, the next do not. That bookkeeping, and the savepoints Django
# puts around any write under a test's transaction, is not what a page reads for its rows.
BOOKKEEPING = ('"django_session"', "SAVEPOINT ")


def page_queries(captured) -> int:
    """How many statements of ``captured`` (a ``CaptureQueriesContext``) serve the page."""
    return sum(
        not any(mark in query["sql"] for mark in BOOKKEEPING) for query in captured.captured_queries
    )
