"""Paycheck-grade salary analysis for medical billers and coders.

Importing the package is cheap on purpose: heavy libraries (pandas, matplotlib,
papermill) are imported by the modules that need them, not here.
"""

__version__ = "0.1.0"
