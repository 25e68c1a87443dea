"""The sandbox platform for a load run: the same application, told the program's people.

The sandbox knows a handful of demo people (lti_tool.sandbox.demo.PEOPLE); a load run launches
hundreds. The runner writes them to a JSON file (LOAD_PLATFORM_PEOPLE, see program.platform_people)
and gunicorn serves this module, which adds them before the first request.
"""
import json
import os

from lti_tool.wsgi import application  # noqa: F401 (sets Django up)
from lti_tool.sandbox import demo  # noqa: E402

with open(os.environ["LOAD_PLATFORM_PEOPLE"]) as people:
    demo.PEOPLE.update(json.load(people))  # the dict the platform's views and services hold
