"""A small LTI 1.3 platform (built on lti1p3platform) to try the tool without an LMS.

`maydan demo` and the tests call ensure_sandbox_registration() to register it with the tool.
"""


def ensure_sandbox_registration():
    from .platform import ensure_sandbox_registration as ensure

    return ensure()
