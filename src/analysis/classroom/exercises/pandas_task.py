"""Advanced: a small pandas task on the case data (stance by group of actors)."""

from __future__ import annotations

import inspect
import textwrap
from typing import Any

import pandas as pd

from analysis.brief.citations import Citations
from analysis.brief.markup import esc, table
from analysis.classroom.exercises.base import (
    ADVANCED,
    Exercise,
    answers,
    parts,
)

#: The code the student notebook gives under the pandas exercise (the notebook's answer cell holds it too).
STARTER_CODE = """\
import pandas as pd

positions = pd.read_csv(room.data_file("positions.csv"))
actors = pd.read_csv(room.data_file("actors.csv"))
positions.head()"""


# The guide prints this function as the pandas task's solution: its lines fit the printed code box.
def stance_by_group(positions: pd.DataFrame, actors: pd.DataFrame, issue: str, as_of: str):
    """Mean stance and count of coded positions per actor group on one issue, up to a date."""
    coded = positions[positions["stance"].notna() & (positions["issue"] == issue)]
    # dates are text (2025-10-14, 2025-10 or 2025): compared as text, they sort in time order
    coded = coded[coded["date"].astype(str) <= as_of]
    merged = coded.merge(actors[["id", "group"]], left_on="actor", right_on="id")
    table = merged.groupby("group")["stance"].agg(positions="count", mean_stance="mean")
    return table.sort_values(["mean_stance", "positions"], ascending=False).round(2)


class PandasExercise(Exercise):
    kind = "pandas"
    title = "A pandas task on the case data"
    minutes = {ADVANCED: 20}
    levels = (ADVANCED,)
    answer_lines = 6

    def choose(self) -> Any:
        issue = self.ctx.main_issue
        path = self.case.path
        if not issue or not (path / "positions.csv").is_file() or not (path / "actors.csv").is_file():
            return None
        positions = pd.read_csv(path / "positions.csv", encoding="utf-8-sig")
        actors = pd.read_csv(path / "actors.csv", encoding="utf-8-sig")
        result = stance_by_group(positions, actors, issue, self.ctx.as_of.isoformat())
        if result.empty:
            return None
        return {"issue": issue, "result": result, "rows": int(result["positions"].sum())}

    def objective(self) -> str:
        return "answer a question about the case with pandas: filter, join and group the case's tables"

    def prompt(self, cite: Citations) -> str:
        issue, as_of = self.pick["issue"], self.ctx.as_of.isoformat()
        asks = [
            f"How many coded positions (rows with a stance) on the issue <code>{esc(issue)}</code> are "
            "dated on "
            f"or before {esc(as_of)}?",
            "Join them with the actors table and find the actor group with the highest mean stance, and "
            "the one "
            "with the lowest.",
            "Why is a mean of codes from −2 to +2 only a rough summary? Name two things it hides.",
        ]
        return (
            "<p>In the student notebook, the cell under this exercise loads two tables of the case "
            "(<code>positions.csv</code> and <code>actors.csv</code>) with pandas:</p>"
            f'<pre class="cr-code">{esc(STARTER_CODE)}</pre>'
            f"<p>Dates in the files are text such as <code>2025-10-14</code>, <code>2025-10</code> or "
            f"<code>2025</code>; compared as text they sort in time order.</p>{parts(asks)}"
        )

    def answer(self) -> dict[str, Any]:
        r = self.pick["result"]
        return {
            "rows": self.pick["rows"],
            "highest": str(r.index[0]),
            "lowest": str(r.index[-1]),
            "table": {g: (int(v["positions"]), float(v["mean_stance"])) for g, v in r.iterrows()},
        }

    def key(self) -> str:
        a = self.answer()
        r = self.pick["result"]
        return (
            f"(a) {a['rows']}; (b) highest {esc(a['highest'])} ({r.iloc[0]['mean_stance']:+.2f}), "
            f"lowest {esc(a['lowest'])} ({r.iloc[-1]['mean_stance']:+.2f})"
        )

    def solution(self, cite: Citations) -> str:
        a, r = self.answer(), self.pick["result"]
        code = textwrap.dedent(inspect.getsource(stance_by_group))
        call = (
            f'stance_by_group(positions, actors, issue="{self.pick["issue"]}", '
            f'as_of="{self.ctx.as_of.isoformat()}")'
        )
        rows = [(esc(g), str(int(v["positions"])), f"{v['mean_stance']:+.2f}") for g, v in r.iterrows()]
        tab = table(["Group", "Coded positions", "Mean stance"], rows, class_="brief-table narrow")
        return f'<pre class="cr-code">{esc(code)}\n{esc(call)}</pre>{tab}' + answers(
            [
                f"{a['rows']} coded positions.",
                f"Highest: <b>{esc(a['highest'])}</b>; lowest: <b>{esc(a['lowest'])}</b>.",
                "A mean treats the codes as distances on a ruler, gives one vote to each coded statement "
                "(an actor that speaks often counts more), and hides both influence and change over time.",
            ]
        )

    def note(self) -> str:
        return (
            "The join is the step that fails most often (the key is <code>actor</code> in positions and "
            "<code>id</code> in actors). Students who keep only each actor's latest position get a "
            "different, "
            "also defensible table: ask them to say which question each version answers."
        )
