"""Hypothesis strategies from a spec, for vendors' own tests (``hegui.strategies``).

A thin re-export of :mod:`hegui.generators.strategies`: conformant ``records`` / ``payloads``
of a message type, and ``invalid_records`` / ``invalid_payloads`` that break exactly one rule.
"""

from hegui.generators.strategies import (
    encode,
    invalid_payloads,
    invalid_records,
    payloads,
    records,
    structural_rule_ids,
    target_rule_ids,
)

__all__ = ["encode", "invalid_payloads", "invalid_records", "payloads", "records",
           "structural_rule_ids", "target_rule_ids"]
