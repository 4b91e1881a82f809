"""Data-quality gates (Great Expectations) for the raw, staging and mart layers.

Import the submodules you need (`gx_runner`, `raw`); this package imports nothing heavy itself, so that
`import account_health.quality` stays cheap: Great Expectations alone takes seconds to import.
"""
