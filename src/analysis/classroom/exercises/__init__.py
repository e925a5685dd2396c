"""Exercises generated from a case: each kind picks its material from the data and computes its answer.

Every kind is a class that, given the as-of case, either finds what it needs (a statement to code, two
provisions to weigh, a dispute, a judgement...) or says it is not available for this case, so a new case
gets a classroom edition without code changes. The student part (:meth:`Exercise.prompt`) and the
instructor's part (:meth:`Exercise.solution`, :meth:`Exercise.note`, :meth:`Exercise.key`) are rendered
separately: the prompts are rendered first so that the sources they cite are numbered before those only
the solutions cite. Answers that can be checked (counts, orders, codes) are in :meth:`Exercise.answer`,
computed from the data, so the key follows the data when it changes.

The connecting words are the code's; every fact, name, date and number is read or computed from the case.
"""

from __future__ import annotations

from analysis.classroom.exercises.base import (
    ADVANCED,
    CONFIDENCE_ORDER,
    INTRODUCTORY,
    LETTERS,
    MIN_EXERCISES,
    Context,
    Exercise,
)
from analysis.classroom.exercises.coding import CodingExercise
from analysis.classroom.exercises.dispute import DisputeExercise
from analysis.classroom.exercises.forecast import ForecastExercise
from analysis.classroom.exercises.law import LawExercise
from analysis.classroom.exercises.pandas_task import STARTER_CODE, PandasExercise, stance_by_group
from analysis.classroom.exercises.positions import PositionsExercise
from analysis.classroom.exercises.prediction import PredictionExercise
from analysis.classroom.exercises.shifts import MAX_SHIFTS, ShiftsExercise
from analysis.classroom.exercises.sources import SourcesExercise
from analysis.classroom.exercises.timeline import TimelineExercise

#: Every kind, in the order a lesson uses them (and numbers them).
KINDS: tuple[type[Exercise], ...] = (
    TimelineExercise,
    PositionsExercise,
    CodingExercise,
    LawExercise,
    DisputeExercise,
    SourcesExercise,
    PredictionExercise,
    ForecastExercise,
    ShiftsExercise,
    PandasExercise,
)


def make_exercises(ctx: Context) -> list[Exercise]:
    """The exercises this case supports at this level, in lesson order.

    A case that lacks the material for some kinds (no dispute, no legal provision...) gets the fallback
    kinds instead, as far as it can, so that a lesson has at least :data:`MIN_EXERCISES`.
    """
    made = [k(ctx) for k in KINDS]
    regular = [e for e in made if e.available and not e.fallback]
    spare = [e for e in made if e.available and e.fallback]
    chosen = {id(e) for e in regular + spare[: max(MIN_EXERCISES - len(regular), 0)]}
    return [e for e in made if id(e) in chosen]


__all__ = [
    "ADVANCED",
    "CONFIDENCE_ORDER",
    "INTRODUCTORY",
    "KINDS",
    "LETTERS",
    "MAX_SHIFTS",
    "MIN_EXERCISES",
    "STARTER_CODE",
    "CodingExercise",
    "Context",
    "DisputeExercise",
    "Exercise",
    "ForecastExercise",
    "LawExercise",
    "PandasExercise",
    "PositionsExercise",
    "PredictionExercise",
    "ShiftsExercise",
    "SourcesExercise",
    "TimelineExercise",
    "make_exercises",
    "stance_by_group",
]
