"""The fuzz tier's machinery (tests/fuzz/README.md): seeds, mutators, invariants, the driver.

Imported by the tests in tests/fuzz (their conftest puts this folder's parent on ``sys.path``).
"""
