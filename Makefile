# Thin aliases for tasks.py (which works without make: `python3 tasks.py <task>`).
PYTHON ?= python3

.PHONY: report test test-fast setup validate
report:
	$(PYTHON) tasks.py report
test:
	$(PYTHON) tasks.py test
test-fast:
	$(PYTHON) tasks.py test-fast
setup:
	$(PYTHON) tasks.py setup
validate: setup
	.venv/bin/python -m analysis validate
