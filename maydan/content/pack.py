"""Packs an OLX course directory into the .tar.gz that Open edX Studio imports.

Studio wants one top folder holding course.xml; the archive's is `course/`. The archive is
the same bytes for the same course (sorted names, fixed times and owners), so a rebuilt
package shows no difference when nothing changed.
"""
import gzip
import io
import os
import tarfile
from pathlib import Path

from . import course_files, course_root, olx

TOP = "course"


class NotPacked(Exception):
    """The course has problems; nothing was written."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s) in the course")
        self.problems = problems


def pack(root, output):
    """Check the course in `root`, then write it to `output` (.tar.gz). Returns the number of files."""
    root = course_root(root)
    problems = olx.check(root)
    if problems:
        raise NotPacked(problems)
    buffer = io.BytesIO()
    count = 0
    folders = set()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel, path in course_files(root):
            for folder in [TOP, *(f"{TOP}/{p}" for p in _parents(rel))]:
                if folder not in folders:
                    folders.add(folder)
                    info = tarfile.TarInfo(folder)
                    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
                    tar.addfile(info)
            data = path.read_bytes()
            info = tarfile.TarInfo(f"{TOP}/{rel}")
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
            count += 1
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")  # a failed write never leaves a half package behind
    with open(partial, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(buffer.getvalue())
    os.replace(partial, output)
    return count


def _parents(rel):
    """'html/a/b.html' -> ['html', 'html/a']"""
    parts = rel.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]
