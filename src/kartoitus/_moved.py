"""The module names of kartoitus 0.1 (one flat package), kept importable after the move to one
package per stage: `import kartoitus.aggregate` gives `kartoitus.stats`, and so on. Notebooks
and scripts written against the old names keep working; new code imports the new homes."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

#: old module → the module or package that now holds its public names
MOVED = {
    "kartoitus.aggregate": "kartoitus.stats",
    "kartoitus.weights": "kartoitus.stats",
    "kartoitus.survey": "kartoitus.codebook",
    "kartoitus.read": "kartoitus.io",
    "kartoitus.files": "kartoitus.io",
    "kartoitus.xlsx": "kartoitus.io",
    "kartoitus.interim": "kartoitus.io",
    "kartoitus.processed": "kartoitus.io",
    "kartoitus.normalize": "kartoitus.clean",
    "kartoitus.formatting": "kartoitus.present.formatting",
    "kartoitus.theme": "kartoitus.present.theme",
    "kartoitus.figures_io": "kartoitus.present.figure_files",
    "kartoitus.plots": "kartoitus.present.charts",
    "kartoitus.maps": "kartoitus.present.maps",
    "kartoitus.figures": "kartoitus.present.figures",
    "kartoitus.tables": "kartoitus.present.tables",
    "kartoitus.workbook": "kartoitus.present.workbook",
    "kartoitus.report": "kartoitus.present.report_spec",
    "kartoitus.report_pdf": "kartoitus.present.report_pdf",
    "kartoitus.deck": "kartoitus.present.deck",
}


class _OldNames(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old module name and hands over the module that replaced it (the same object, so
    monkeypatching either name patches both)."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return importlib.import_module(MOVED[spec.name])

    def exec_module(self, module):
        pass


def install() -> None:
    if not any(isinstance(finder, _OldNames) for finder in sys.meta_path):
        sys.meta_path.append(_OldNames())
