"""Scenarios written elsewhere, turned into a Maydan scenario draft the author finishes in the editor.

Pure Python. `convert(data, name)` takes an uploaded file's bytes: an H5P Branching Scenario package
(`.h5p`, a zip) or a branching-xblock scenario (JSON), and returns an `Imported` draft: the scenario
as a dict (YAML text with `.yaml()`), the problems the validator still finds, and `notes` on what
could not be carried over. Nothing is saved here: the author reads the notes, edits the YAML and
saves it through the usual editor. A file that cannot be read is refused whole with `Refused`.
"""
from .common import Imported, Refused, convert

__all__ = ["Imported", "Refused", "convert"]
