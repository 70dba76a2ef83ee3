"""The tests: `python3 dev.py test`. A package, so test files in different folders may share a name."""
