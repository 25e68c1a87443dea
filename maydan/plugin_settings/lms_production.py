"""The LMS's production settings: the operator's tokens, then the periodic tasks their YAML may have dropped."""
from .lms import production_plugin_settings as plugin_settings  # noqa: F401  (the framework's name)
