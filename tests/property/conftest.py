"""Property-test fixtures: the bundled specs (`egspec`, `wcspec`) and `minispec` come from
tests/conftest.py; the test minispec's generator help is hegui.generators.help_minispec."""
