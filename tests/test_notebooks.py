"""Every notebook in nbs/ runs top to bottom as one pytest test; cells flagged with the project's
`tst_flags` (notest, slow, gpu) are skipped, exactly as `nbdev-test` skips them."""
import os
from pathlib import Path
import pytest
import nbdev.test as nbtest        # the module, not the function: pytest would collect `test_nb`
from nbdev.config import get_config

ROOT = Path(__file__).resolve().parent.parent
NBS = sorted((ROOT/'nbs').glob('*.ipynb'))

def test_there_are_notebooks(): assert len(NBS) >= 3, f"expected the notebooks in {ROOT/'nbs'}"

@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_notebook(nb, monkeypatch):
    monkeypatch.setenv('MPLBACKEND', 'Agg')
    flags = get_config(ROOT).tst_flags
    flags = flags.split() if isinstance(flags, str) else list(flags)
    ok, secs = nbtest.test_nb(nb, skip_flags=flags, basepath=ROOT)
    assert ok, f"{nb.name} failed (traceback above, on stderr)"
