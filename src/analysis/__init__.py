"""casebrief: turn a sourced policy case into reproducible briefings.

The import name is ``analysis``; the command is ``casebrief``.
"""

__version__ = "0.1.0"
