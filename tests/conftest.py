"""Settings every test shares.

Hypothesis's per-example deadline (200 ms) is off for the whole suite: CI runs on two
cores beside two engines, where one slow example under load fails a property that holds
(it happened to the lodash merge property). The properties are about results, not speed;
speed lives in benchmarks/.
"""

from hypothesis import settings

settings.register_profile("kbn_so", deadline=None)
settings.load_profile("kbn_so")
