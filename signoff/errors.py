"""The one error type the command line turns into a single clear line."""


class SignoffError(Exception):
    """A problem the user can fix (missing results, bad config); never shown as a stack trace.

    ``exit_code`` 2 means "could not decide" (bad input); 1 means "decided: no" (refusal).
    """

    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
