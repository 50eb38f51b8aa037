# Thin aliases for tasks.py (which works without make: `python3 tasks.py <task>`).
PYTHON ?= python3
KEEP ?= 5

.PHONY: report test test-fast setup validate clean
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
clean:
	$(PYTHON) tasks.py clean --keep $(KEEP)
