"""Synthetic raw data for account-health: all fifteen raw tables, driven by a latent health per account.

`generate(out_dir, ground_truth_dir, scale=..., seed=..., as_of=...)` is the entry point; `SCALES` lists the
size tiers (tiny for tests, demo, large).
"""

from account_health.generate.params import SCALES, Scale
from account_health.generate.run import generate

__all__ = ["SCALES", "Scale", "generate"]
