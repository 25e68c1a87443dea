"""The fuzz suite's hypothesis profile: few examples, the same ones on every run, no example database."""
import os

from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("MAYDAN_FUZZ_EXAMPLES", "1")), derandomize=True, database=None,
    # No shrinking or explaining: each example is a few real requests, and a failure already names its body.
    phases=[Phase.explicit, Phase.generate], deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example],
)
