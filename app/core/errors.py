"""Errors that carry the field code and a Chinese message for the person at the desk."""


class FieldError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"【{field}】{message}")
        self.field = field
        self.message = message


class InputError(ValueError):
    """One or more fields are wrong; nothing was written."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
