"""The one error type users see.

Every problem with user input (a file, a scenario field, a command-line
option) raises :class:`InputError`. The CLI prints it as a single line and
exits with status 2; the Python API lets it propagate.

>>> str(InputError("bad checksum", file="iss.tle", line=3, field="checksum"))
'iss.tle:3: checksum: bad checksum'
>>> str(InputError("mass must be positive", field="mass_kg"))
'mass_kg: mass must be positive'
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input, located as precisely as we can: file, line, field."""

    def __init__(self, message: str, *, file: str | None = None,
                 line: int | None = None, field: str | None = None):
        self.message = message
        self.file = None if file is None else str(file)
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        if self.field:
            where += f"{self.field}: "
        return where + self.message
