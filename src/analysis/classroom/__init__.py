"""The classroom edition: a case turned into teaching material from one notebook.

``notebooks/classroom.ipynb`` (parameters ``case``, ``as_of``, ``level``) shows learning objectives, a
short narrative of the case built from its data, the timeline and position charts, 6 to 10 exercises,
discussion questions, and for every exercise a worked solution and a teacher note. Solutions and teacher
notes sit in cells tagged :data:`SOLUTION` and :data:`TEACHER_NOTE`; ``casebrief build --audience
classroom`` renders from one execution a student handout (those cells removed), an instructor guide
(everything) and a student notebook (outputs cleared, those cells removed).

Modules: :mod:`~analysis.classroom.params` (the parameters, light enough for the build's up-to-date
check), :mod:`~analysis.classroom.exercises` (one generator per kind of exercise, each choosing its
material from the data), :mod:`~analysis.classroom.lesson` (:class:`Classroom`, what the notebook calls),
:mod:`~analysis.classroom.edition` (the three outputs, for ``casebrief build``).

This package's ``__init__`` imports nothing heavy: the build imports :mod:`analysis.classroom.params`
on its no-op path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

#: Cell tags: what the student handout and the student notebook leave out.
SOLUTION = "solution"
TEACHER_NOTE = "teacher-note"
#: Cells only the student notebook keeps (space for the student's own answers and code).
ANSWER = "answer"
#: Cells that belong to the advanced level only.
ADVANCED = "advanced"
#: Tags removed from what students get.
STUDENT_REMOVE = frozenset({SOLUTION, TEACHER_NOTE})

if TYPE_CHECKING:
    from analysis.classroom.lesson import Classroom


def __getattr__(name: str) -> Any:
    if name == "Classroom":  # pandas and matplotlib load only when a lesson is made
        from analysis.classroom.lesson import Classroom

        return Classroom
    raise AttributeError(name)


__all__ = ["ADVANCED", "ANSWER", "SOLUTION", "STUDENT_REMOVE", "TEACHER_NOTE", "Classroom"]
