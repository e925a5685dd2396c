"""One data hash: the manifest, the brief's title block and PDF metadata, and the annex name the same data."""

from __future__ import annotations

import shutil

from analysis.brief.provenance import data_version
from analysis.case import load_case
from analysis.manifest import data_digest, digest_of, input_hashes
from analysis.params import BriefParams
from analysis.paths import NOTEBOOKS_DIR
from analysis.session import Session, brief_metadata


def test_a_case_folder_with_a_readme_has_one_data_hash(mini_path, tmp_path):
    case_dir = tmp_path / "mini"
    shutil.copytree(mini_path, case_dir)
    (case_dir / "README.md").write_text("# Mini case\n\nNotes for whoever maintains the data.\n")

    digest, n_files = data_digest(case_dir)
    recorded = input_hashes(case_dir, NOTEBOOKS_DIR / "briefing.ipynb")
    in_manifest = {k.removeprefix("data/"): v for k, v in recorded.items() if k.startswith("data/")}
    case = load_case(case_dir)
    params = BriefParams.parse(case=str(case_dir)).resolved()
    meta = brief_metadata(Session.slice(case, params))  # the title block and PDF metadata
    annex = data_version(case)

    assert "README.md" in in_manifest and n_files == len(in_manifest)
    assert digest_of(in_manifest) == digest
    assert meta["data_sha256"] == digest and meta["data_files"] == n_files
    assert annex.digest == digest and set(annex.files) == set(in_manifest)
