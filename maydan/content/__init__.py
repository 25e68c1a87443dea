"""Course content as data: the OLX course's checks and its packing for Studio. Pure Python, no Django."""
from importlib import resources
from pathlib import Path


def course_dir():
    """The shipped OLX course (course_content/course), from a checkout or an installed package."""
    return Path(str(resources.files("course_content").joinpath("course")))
