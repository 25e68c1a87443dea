"""Production: an operator's values from the LMS's environment tokens (older releases read the YAML
into ENV_TOKENS), over the common defaults. Newer releases set YAML keys on settings directly."""

from . import DEFAULTS, FEATURES


def plugin_settings(settings):
    tokens = getattr(settings, "ENV_TOKENS", None) or {}
    for name in DEFAULTS:
        if name in tokens:
            setattr(settings, name, tokens[name])
    features = tokens.get("FEATURES") or {}
    for name in FEATURES:
        if name in features:
            settings.FEATURES[name] = features[name]
