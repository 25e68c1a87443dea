"""Course content as data: the OLX course's checks and its packing for Studio. Pure Python, no Django."""
from importlib import resources
from pathlib import Path


def content_dir():
    """The shipped course content (course_content/: course, scenarios, frameworks, forms, rubrics)."""
    return Path(str(resources.files("course_content")))


def course_dir():
    """The shipped OLX course (course_content/course), from a checkout or an installed package."""
    return content_dir() / "course"


def course_root(path):
    """The course directory: `path` itself, or the directory of a course.xml."""
    path = Path(path)
    return path.parent if path.is_file() else path


def course_files(root):
    """(relative path, path) of the course's files, sorted; hidden files and caches are not the course's."""
    root = Path(root)
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            yield rel.as_posix(), path
