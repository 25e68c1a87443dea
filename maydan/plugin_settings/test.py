"""The platform's own test runs: a failed grade delivery is retried at once."""


def plugin_settings(settings):
    settings.MAYDAN_GRADE_RETRY_SECONDS = 0
